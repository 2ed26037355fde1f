using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Levee.Silo.Diagnostics;

/// <summary>The runtime's spans and metrics (exported through OpenTelemetry when configured).</summary>
internal static class LeveeTelemetry
{
    public const string Name = "Levee.Silo";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> GrainCalls = Meter.CreateCounter<long>("levee.grain.calls", description: "Grain calls started");
    public static readonly UpDownCounter<long> Activations = Meter.CreateUpDownCounter<long>("levee.activations", description: "Live activations");
    public static readonly Histogram<int> CommitBatchSize = Meter.CreateHistogram<int>("levee.storage.commit.batch_size", description: "Grain commands per group commit");
    public static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("levee.storage.commit.duration", "ms", "Group commit duration");
    public static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("levee.storage.commit.conflicts", description: "Compare-and-set conflicts");
}
