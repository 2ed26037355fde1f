using Levee.Errors;
using Levee.Gateway.Problems;
using Levee.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.Idempotency;

/// <summary>Reads the optional <c>Idempotency-Key</c> header of a creating POST.</summary>
internal static class IdempotencyHeader
{
    /// <summary>The key (null when absent), or a 400 when it is malformed.</summary>
    public static (string? Key, ProblemHttpResult? Error) Read(HttpRequest request)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        return key.Length == 0 ? (null, null)
            : IdempotencyKeys.IsValid(key) ? (key, null)
            : (null, ProblemCatalog.For(ErrorCodes.ValidationFailed, "Idempotency-Key must be 1-255 visible ASCII characters.", "Idempotency-Key"));
    }
}
