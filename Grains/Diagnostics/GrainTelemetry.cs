using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Levee.Grains.Diagnostics;

/// <summary>
/// The grains' spans and metrics. Without a listener (OpenTelemetry off) a span is never created
/// and a measurement is dropped at once, so they cost nothing measurable then.
/// </summary>
internal static class GrainTelemetry
{
    public const string Name = "Levee.Grains";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    /// <summary>Decider commands by grain type (<c>levee.grain</c>) and outcome (<c>levee.outcome</c>: applied, unchanged, rejected, failed).</summary>
    public static readonly Counter<long> Commands = Meter.CreateCounter<long>("levee.grain.commands", description: "Grain commands decided, by grain type and outcome");

    /// <summary>Committed status changes of executions, by the status entered (<c>levee.status</c>).</summary>
    public static readonly Counter<long> ExecutionTransitions = Meter.CreateCounter<long>("levee.executions.transitions", description: "Execution status changes committed, by new status");

    /// <summary>Committed status changes of batches, by the status entered (<c>levee.status</c>).</summary>
    public static readonly Counter<long> BatchTransitions = Meter.CreateCounter<long>("levee.batches.transitions", description: "Batch status changes committed, by new status");
}
