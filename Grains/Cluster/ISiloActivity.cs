namespace Levee.Grains.Cluster;

/// <summary>The silo's own recent activity, as its host measures it (the storage's commit counters).</summary>
public interface ISiloActivity
{
    /// <summary>Commands committed per second and mean group-commit duration (ms, null when none) since the previous sample.</summary>
    (double CommandsPerSecond, double? CommitLatencyMs) Sample();
}
