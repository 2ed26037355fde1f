using Levee.Grains.Storage;

namespace Levee.Grains.Commits;

/// <summary>The one way a grain turns "the timers my state needs" before and after a command into timer changes for its commit.</summary>
internal static class TimerSets
{
    /// <summary>Set what is new or moved, clear what is no longer needed.</summary>
    public static IReadOnlyList<TimerChange> Diff(IReadOnlyDictionary<string, DateTimeOffset> before, IReadOnlyDictionary<string, DateTimeOffset> after)
    {
        var changes = new List<TimerChange>();
        foreach (var (name, due) in after)
        {
            if (!before.TryGetValue(name, out var previous) || previous != due)
            {
                changes.Add(new TimerChange(name, due));
            }
        }
        foreach (var name in before.Keys)
        {
            if (!after.ContainsKey(name))
            {
                changes.Add(new TimerChange(name, null));
            }
        }
        return changes;
    }
}
