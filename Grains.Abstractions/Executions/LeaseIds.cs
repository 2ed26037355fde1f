using Levee.Errors;

namespace Levee.Executions;

/// <summary>The rule every lease-fenced worker command shares; whether a lease is the live one is the decider's question.</summary>
public static class LeaseIds
{
    /// <summary>A missing lease is <see cref="ErrorCodes.ValidationFailed"/> naming <c>leaseId</c>; null when one is given.</summary>
    public static Rejection? Require(string? leaseId) =>
        string.IsNullOrEmpty(leaseId) ? Rejection.Invalid("leaseId", "leaseId is required.") : null;
}
