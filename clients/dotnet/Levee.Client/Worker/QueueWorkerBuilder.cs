using System.Text.Json;

namespace Levee.Client.Worker;

/// <summary>One queue of a worker: its handler and concurrency.</summary>
public sealed class QueueWorkerBuilder
{
    internal QueueWorkerBuilder(string name) => Name = name;

    /// <summary>The queue.</summary>
    public string Name { get; }

    internal int MaxConcurrency { get; private set; } = Environment.ProcessorCount;

    internal TimeSpan ClaimWait { get; private set; } = TimeSpan.FromSeconds(20);

    internal Func<JobContext, JsonSerializerOptions, CancellationToken, Task<JobResult>>? Handler { get; private set; }

    /// <summary>Runs at most <paramref name="jobs"/> of this queue's jobs at once (default: the processor count).</summary>
    public QueueWorkerBuilder Concurrency(int jobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        MaxConcurrency = jobs;
        return this;
    }

    /// <summary>How long one claim waits for work on an idle queue (a long poll; at most 30 s).</summary>
    public QueueWorkerBuilder Poll(TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wait, TimeSpan.FromSeconds(30));
        ClaimWait = wait;
        return this;
    }

    /// <summary>Handles each job with its input as <typeparamref name="TInput"/> and ends it as the <see cref="JobResult"/> says.</summary>
    public QueueWorkerBuilder Handle<TInput>(Func<TInput, JobContext, CancellationToken, Task<JobResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Handler = (context, json, ct) => handler(Input<TInput>(context, json), context, ct);
        return this;
    }

    /// <summary>Handles each job; completes it with the returned output. A throw fails it (see <see cref="NonRetryableJobException"/>).</summary>
    public QueueWorkerBuilder Handle<TInput, TOutput>(Func<TInput, JobContext, CancellationToken, Task<TOutput>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Handler = async (context, json, ct) =>
            JobResult.Complete(JsonSerializer.SerializeToElement(await handler(Input<TInput>(context, json), context, ct).ConfigureAwait(false), json));
        return this;
    }

    private static TInput Input<TInput>(JobContext context, JsonSerializerOptions json) =>
        context.Execution.Input is { ValueKind: not JsonValueKind.Null } input ? input.Deserialize<TInput>(json)! : default!;
}
