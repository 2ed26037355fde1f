using Levee.Errors;
using Levee.Grains.Storage;

namespace Levee.Grains.Quotas;

/// <summary>The refusal a client gets for a commit its tenant's quota refused.</summary>
internal static class QuotaRejections
{
    /// <summary>
    /// 429 <c>quota_exceeded</c> when the tenant is at its limit (nothing new fits until something
    /// is deleted); 413 <c>batch_exceeds_quota</c> when a batch's <c>runCount</c> is more than the
    /// room left, which a smaller batch may still fit into.
    /// </summary>
    public static Rejection For(QuotaExceededException refused, long runCount = 0)
    {
        var (setting, what) = refused.Resource switch
        {
            QuotaResource.Executions => ("Levee:Grains:Quota:MaxExecutions", "executions"),
            QuotaResource.EventBytes => ("Levee:Grains:Quota:MaxEventBytes", "event bytes"),
            _ => throw new InvalidOperationException($"Unexpected quota resource {refused.Resource} — a bug."),
        };
        var extensions = new Dictionary<string, long?> { ["limit"] = refused.Limit, ["usage"] = refused.Usage };
        if (refused.Resource == QuotaResource.Executions && runCount > 0 && refused.Usage < refused.Limit)
        {
            extensions["runCount"] = runCount;
            return new Rejection(ErrorCodes.BatchExceedsQuota,
                $"The batch's runCount ({runCount}) is more executions than tenant '{refused.Tenant}' has room for: it stores {refused.Usage} of {refused.Limit} ({setting}).")
            {
                Field = "runCount",
                Extensions = extensions,
            };
        }
        return new Rejection(ErrorCodes.QuotaExceeded,
            $"Tenant '{refused.Tenant}' stores {refused.Usage} {what} of the {refused.Limit} its quota allows ({setting}); " +
            "delete terminal executions or batches, or wait for retention to purge them.")
        {
            Extensions = extensions,
        };
    }
}
