using System.Text.Json;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Levee.Gateway.Tests.Problems;

public sealed class UnhandledExceptionHandlerTests
{
    [Theory]
    [InlineData(typeof(TimeoutException), 503, "unavailable")]
    [InlineData(typeof(ObjectDisposedException), 503, "unavailable")]
    [InlineData(typeof(InvalidOperationException), 500, "internal_error")]
    public async Task TryHandleAsync_Exception_WritesProblemWithStableCode(Type exceptionType, int status, string code)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        var exception = (Exception)Activator.CreateInstance(exceptionType, "boom")!;

        var handled = await new UnhandledExceptionHandler(NullLogger<UnhandledExceptionHandler>.Instance).TryHandleAsync(context, exception, default);

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("boom", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "bad_request")]
    [InlineData(408, "request_timeout")]
    [InlineData(413, "payload_too_large")]
    public async Task TryHandleAsync_UnreadableBody_IsTheClientsProblem(int status, string code)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };

        await new UnhandledExceptionHandler(NullLogger<UnhandledExceptionHandler>.Instance)
            .TryHandleAsync(context, new BadHttpRequestException("Unexpected end of request content.", status), default);

        Assert.Equal((status, "application/problem+json"), (context.Response.StatusCode, context.Response.ContentType));
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
    }
}
