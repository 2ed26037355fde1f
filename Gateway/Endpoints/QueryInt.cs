using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.Endpoints;

/// <summary>
/// An integer query parameter. Endpoints bind it as a string and parse it here, so a bad value
/// is a <c>validation_failed</c> problem naming it, never the binder's bare 400.
/// </summary>
internal static class QueryInt
{
    /// <summary>
    /// The value (<paramref name="absent"/> when not given), or the problem when it is not an
    /// integer from <paramref name="min"/> to <paramref name="max"/>.
    /// </summary>
    public static (int Value, ProblemHttpResult? Problem) Parse(string? text, string name, int min, int max, int absent) =>
        text is null ? (absent, null)
        : int.TryParse(text, out var value) && value >= min && value <= max ? (value, null)
        : (0, ProblemCatalog.For(ErrorCodes.ValidationFailed, $"{name} must be an integer from {min} to {max}.", name));
}
