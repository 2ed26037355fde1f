using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Levee.Silo.Diagnostics;

/// <summary>
/// The silo's spans and metrics (exported through OpenTelemetry when configured; without a
/// listener no span is created and measurements are dropped at once).
/// </summary>
internal static class LeveeTelemetry
{
    public const string Name = "Levee.Silo";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<int> CommitBatchSize = Meter.CreateHistogram<int>("levee.storage.commit.batch_size", description: "Grain commands per group commit");
    public static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("levee.storage.commit.duration", "ms", "Group commit duration");
    public static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("levee.storage.commit.conflicts", description: "Compare-and-set conflicts");
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("levee.outbox.lag", "ms", "From an outbox message's commit to its delivery");
    public static readonly Histogram<double> TimerLag = Meter.CreateHistogram<double>("levee.timers.lag", "ms", "From a durable timer's due time to its delivery");
}
