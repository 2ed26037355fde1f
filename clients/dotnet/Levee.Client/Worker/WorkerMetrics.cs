using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Levee.Client.Worker;

/// <summary>The worker host's instruments, on the meter <c>Levee.Client</c>, tagged by queue (and outcome).</summary>
internal sealed class WorkerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Levee.Client";

    private readonly Counter<long> _claimed;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _claimErrors;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;

    public WorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _claimed = meter.CreateCounter<long>("levee.worker.jobs.claimed", "{job}", "Jobs claimed.");
        _ended = meter.CreateCounter<long>("levee.worker.jobs.ended", "{job}", "Jobs ended, by outcome: completed, failed, suspended, cancelled, lease_lost, timed_out, released.");
        _claimErrors = meter.CreateCounter<long>("levee.worker.claim.errors", "{error}", "Claims that failed (silo down, network).");
        _duration = meter.CreateHistogram<double>("levee.worker.job.duration", "s", "How long a job's handler ran.");
        _active = meter.CreateUpDownCounter<long>("levee.worker.jobs.active", "{job}", "Jobs running now.");
    }

    public void Claimed(string queue, int count)
    {
        _claimed.Add(count, new KeyValuePair<string, object?>("queue", queue));
        _active.Add(count, new KeyValuePair<string, object?>("queue", queue));
    }

    public void Ended(string queue, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "queue", queue }, { "outcome", outcome } };
        _ended.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        _active.Add(-1, new KeyValuePair<string, object?>("queue", queue));
    }

    public void ClaimError(string queue) => _claimErrors.Add(1, new KeyValuePair<string, object?>("queue", queue));
}
