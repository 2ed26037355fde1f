using Levee.Batches;
using Levee.Wire;

namespace Levee.Grains.Batches;

/// <summary>Wire names of <see cref="BatchStatus"/> and <see cref="AbortReason"/> (from their <c>[JsonStringEnumMemberName]</c>s).</summary>
internal static class BatchStatusNames
{
    public static string ToWire(this BatchStatus status) => WireNames<BatchStatus>.Of(status);

    public static string ToWire(this AbortReason reason) => WireNames<AbortReason>.Of(reason);
}
