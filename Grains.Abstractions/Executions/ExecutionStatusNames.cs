namespace Levee.Executions;

/// <summary>Wire names, ordering and terminality of <see cref="ExecutionStatus"/>.</summary>
public static class ExecutionStatusNames
{
    private static readonly string[] Names = ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out"];

    /// <summary>All wire names, in enum order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The snake_case wire name.</summary>
    public static string ToWire(this ExecutionStatus status) => Names[(int)status];

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(string? name, out ExecutionStatus status)
    {
        var index = Array.IndexOf(Names, name);
        status = index < 0 ? default : (ExecutionStatus)index;
        return index >= 0;
    }

    /// <summary>True for succeeded, failed, cancelled and timed_out.</summary>
    public static bool IsTerminal(this ExecutionStatus status) => status >= ExecutionStatus.Succeeded;

    /// <summary>
    /// The monotone order used to merge unordered reports: queued &lt; running = waiting &lt; terminal.
    /// </summary>
    public static int Rank(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => 0,
        ExecutionStatus.Running or ExecutionStatus.Waiting => 1,
        _ => 2,
    };
}
