using Levee.Wire;

namespace Levee.Executions;

/// <summary>Wire names (from <see cref="WireNames{TEnum}"/>), ordering and terminality of <see cref="ExecutionStatus"/>.</summary>
public static class ExecutionStatusNames
{
    /// <summary>All wire names, in enum order.</summary>
    public static IReadOnlyList<string> All => WireNames<ExecutionStatus>.All;

    /// <summary>The snake_case wire name.</summary>
    public static string ToWire(this ExecutionStatus status) => WireNames<ExecutionStatus>.Of(status);

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(string? name, out ExecutionStatus status) => WireNames<ExecutionStatus>.TryParse(name, out status);

    /// <summary>True for succeeded, failed, cancelled and timed_out.</summary>
    public static bool IsTerminal(this ExecutionStatus status) => status >= ExecutionStatus.Succeeded;

    /// <summary>
    /// The monotone order used to merge unordered reports: queued &lt; running = waiting &lt; terminal.
    /// </summary>
    public static int Rank(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => 0,
        ExecutionStatus.Running or ExecutionStatus.Waiting => 1,
        ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.TimedOut => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unexpected execution status — a bug."),
    };
}
