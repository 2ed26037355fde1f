using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Executions;

/// <summary>The one way every endpoint addresses one of the caller's executions and answers with its outcome.</summary>
internal static class ExecutionCalls
{
    /// <summary>
    /// Calls the execution and maps the outcome: <paramref name="success"/> (default 200 with the
    /// value), or the rejection's problem. An id that cannot exist is a 404 without a grain call.
    /// </summary>
    public static async Task<IResult> CallAsync<T>(IGrainFactory grains, Caller caller, string id, Func<IExecutionGrain, Task<Outcome<T>>> call,
        Func<Outcome<T>, IResult>? success = null)
    {
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var outcome = await call(grains.Grain<IExecutionGrain>(caller.Key(id)));
        return outcome.IsSuccess ? success?.Invoke(outcome) ?? TypedResults.Ok(outcome.Value) : ProblemCatalog.For(outcome.Rejection!);
    }

    /// <summary>404 for an execution id.</summary>
    public static IResult NotFound(string id) => ProblemCatalog.For(ErrorCodes.NotFound, $"Execution '{id}' was not found.");
}
