using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Json;

/// <summary>
/// Reads a JSON request body with the checks minimal-API binding does not give a stable error
/// code for: content type (415), size (413), syntax and types (400, naming the JSON path).
/// </summary>
public sealed class JsonBody(IOptions<GatewayOptions> options)
{
    /// <summary>Reads the body as <typeparamref name="T"/>; an empty body reads as <paramref name="whenEmpty"/> when given.</summary>
    public async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, T? whenEmpty = default)
        where T : class
    {
        var limit = options.Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 256);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), request.HttpContext.RequestAborted);
            if (read == 0)
            {
                break;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return (null, TooLarge(limit));
            }
        }
        if (buffer.WrittenCount == 0)
        {
            return whenEmpty is not null
                ? (whenEmpty, null)
                : (null, ProblemCatalog.For(ErrorCodes.ValidationFailed, "A JSON body is required."));
        }
        if (!request.HasJsonContentType())
        {
            return (null, ProblemCatalog.For(ErrorCodes.UnsupportedMediaType, "Send the body as 'Content-Type: application/json'."));
        }
        try
        {
            var value = JsonSerializer.Deserialize(buffer.WrittenSpan, type);
            return value is null
                ? (null, ProblemCatalog.For(ErrorCodes.ValidationFailed, "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            var detail = path is null ? $"The body is not valid JSON: {FirstSentence(ex.Message)}" : $"Field '{path}' has the wrong type or format.";
            return (null, ProblemCatalog.For(ErrorCodes.ValidationFailed, detail, path));
        }
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        ProblemCatalog.For(ErrorCodes.PayloadTooLarge, $"The body is larger than {limit} bytes.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
