using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.Endpoints;

/// <summary>A grain command's outcome as the exact result its endpoint declares: the value, or the rejection's problem.</summary>
internal static class OutcomeResults
{
    /// <summary>200 with the value.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.IsSuccess ? TypedResults.Ok(outcome.Value) : ProblemCatalog.For(outcome.Rejection!);

    /// <summary>202 with the value.</summary>
    public static Results<Accepted<T>, ProblemHttpResult> ToAccepted<T>(this Outcome<T> outcome) =>
        outcome.IsSuccess ? TypedResults.Accepted((string?)null, outcome.Value) : ProblemCatalog.For(outcome.Rejection!);

    /// <summary>A delete's answer: 204 when it deleted; the resource's own 404 (naming its id) when there was none; else the rejection's problem.</summary>
    public static Results<NoContent, ProblemHttpResult> ToDeleted(this Rejection? rejection, Func<ProblemHttpResult> notFound) => rejection switch
    {
        null => TypedResults.NoContent(),
        { Code: ErrorCodes.NotFound } => notFound(),
        _ => ProblemCatalog.For(rejection),
    };

    /// <summary>A create: 201 at the value's <paramref name="location"/> when it created, 200 when it was a repeat.</summary>
    public static Results<Created<T>, Ok<T>, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location) => outcome.Kind switch
    {
        OutcomeKind.Applied => TypedResults.Created(location(outcome.Value!), outcome.Value),
        OutcomeKind.Unchanged => TypedResults.Ok(outcome.Value),
        _ => ProblemCatalog.For(outcome.Rejection!),
    };
}
