using System.Diagnostics;
using System.Net;
using Levee.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Levee.Gateway.Tests.Telemetry;

/// <summary>With telemetry on, one HTTP request is one trace: the gateway's request, the grain call, the command, its commit.</summary>
[Collection(TracedCollection.Name)]
public sealed class TracingTests(TracedFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task OneCreate_IsOneTrace_FromTheRequestThroughTheGrainCallToTheCommit()
    {
        (await CreateAsync("traced")).Is(HttpStatusCode.Created);

        // The request's server span is exported when its response is complete: wait for it.
        var request = await EventuallyAsync(() => factory.Spans.FirstOrDefault(s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/v1/executions" && s.GetTagItem("http.request.method") as string == "POST"
            && factory.Spans.Any(c => c.TraceId == s.TraceId && c.DisplayName == "levee.commit")));
        var trace = factory.Spans.Where(s => s.TraceId == request.TraceId).ToArray();

        var command = Assert.Single(trace, s => s.DisplayName == "levee.command" && (s.GetTagItem("levee.grain") as string ?? "").EndsWith("/traced", StringComparison.Ordinal));
        var commit = Assert.Single(trace, s => s.DisplayName == "levee.commit" && s.ParentSpanId == command.SpanId);
        Assert.Equal("applied", command.GetTagItem("levee.outcome"));
        Assert.Equal("committed", commit.GetTagItem("levee.commit.outcome"));
        Assert.True((int)commit.GetTagItem("levee.commit.batch_size")! >= 1);
        // Between the request and the command: Orleans' client and server spans of the grain call.
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Client);
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Server);
        Assert.True(Ancestors(command, trace).Contains(request), "the command's span descends from the request's");
    }

    [Fact]
    public void WithoutAnEndpoint_NothingOfOpenTelemetryIsRegistered()
    {
        using var plain = new LeveeFactory();

        Assert.Null(plain.Services.GetService<TracerProvider>());
        Assert.NotNull(factory.Services.GetService<TracerProvider>());
    }

    private static IEnumerable<Activity> Ancestors(Activity span, IReadOnlyCollection<Activity> trace)
    {
        for (var parent = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null; parent = trace.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> find) where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (find() is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("the spans never arrived");
    }
}
