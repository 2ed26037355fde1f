using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.Executions;

/// <summary>The one way every endpoint addresses one of the caller's executions.</summary>
internal static class ExecutionCalls
{
    /// <summary>
    /// Sends <paramref name="command"/> to the execution. An id that cannot exist is a 404
    /// rejection without a grain call; the endpoint maps the outcome to its exact result
    /// (<see cref="OutcomeResults"/>).
    /// </summary>
    public static async Task<Outcome<T>> CallAsync<T>(TenantCall call, string id, Func<IExecutionGrain, Task<Outcome<T>>> command) =>
        ExecutionIds.IsValid(id) ? await command(call.Grain<IExecutionGrain>(id)) : Outcome<T>.Rejected(Missing(id));

    /// <summary>404 for an execution id.</summary>
    public static ProblemHttpResult NotFound(string id) => ProblemCatalog.For(Missing(id));

    private static Rejection Missing(string id) => new(ErrorCodes.NotFound, $"Execution '{id}' was not found.");
}
