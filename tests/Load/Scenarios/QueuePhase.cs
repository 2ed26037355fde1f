using System.Diagnostics;

namespace Levee.Load.Scenarios;

/// <summary>
/// The shared state of one phase of a <see cref="QueueScenario{TPhase}"/>: its queue, the create
/// schedule, the queue→claim timer and the count of executions still to finish. A phase ends when
/// every one of its executions is finished (completed, or given up after an error).
/// </summary>
internal class QueuePhase : IDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly int _count;
    private long _nextCreate = -1;
    private long _remaining;
    private long _claimed;
    private long _finishedAt;
    private long _producersDoneAt;

    public QueuePhase(string queue, int count, CancellationToken cancel)
    {
        Queue = queue;
        _count = count;
        _remaining = count;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    }

    public string Queue { get; }

    /// <summary>When the phase started; the create schedule counts from here.</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>From a create's 201 to the claim response that contained the execution.</summary>
    public FlowTimer QueueToClaim { get; } = new();

    /// <summary>Cancelled when every execution is finished, or when the run is interrupted.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Executions handed out by claims.</summary>
    public long Claimed => Interlocked.Read(ref _claimed);

    /// <summary>From the start until the last execution finished (or until now, if it has not).</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartedAt, Volatile.Read(ref _finishedAt) is > 0 and var end ? end : Stopwatch.GetTimestamp());

    /// <summary>From the start until the last producer stopped.</summary>
    public TimeSpan Producing => Stopwatch.GetElapsedTime(StartedAt, Interlocked.Read(ref _producersDoneAt));

    /// <summary>Takes the number (from 0) of the next execution to create, while any are left.</summary>
    public bool TryTakeCreate(out long number)
    {
        number = Interlocked.Increment(ref _nextCreate);
        return number < _count;
    }

    public void AddClaimed(int count) => Interlocked.Add(ref _claimed, count);

    public void ProducerDone() => RaiseTo(ref _producersDoneAt, Stopwatch.GetTimestamp());

    /// <summary>Sets <paramref name="field"/> to <paramref name="value"/> unless it holds a later timestamp already; safe from any thread.</summary>
    protected static void RaiseTo(ref long field, long value)
    {
        var seen = Interlocked.Read(ref field);
        while (seen < value && Interlocked.CompareExchange(ref field, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }

    /// <summary>Counts one execution as finished on <paramref name="worker"/>; the last one ends the phase.</summary>
    public void Finish(LoadWorker worker, bool succeeded)
    {
        worker.Complete(succeeded);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Volatile.Write(ref _finishedAt, Stopwatch.GetTimestamp());
            _stopping.Cancel();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }
}
