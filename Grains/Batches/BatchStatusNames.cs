using Levee.Batches;

namespace Levee.Grains.Batches;

/// <summary>Wire names of <see cref="BatchStatus"/>.</summary>
internal static class BatchStatusNames
{
    public static string ToWire(this BatchStatus status) => status switch
    {
        BatchStatus.Pending => "pending",
        BatchStatus.Processing => "processing",
        BatchStatus.Completed => "completed",
        BatchStatus.PartialFailed => "partial_failed",
        BatchStatus.Failed => "failed",
        _ => "aborted",
    };
}
