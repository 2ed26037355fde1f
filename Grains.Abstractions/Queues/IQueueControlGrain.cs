namespace Levee.Queues;

/// <summary>
/// The operator's switch for one queue of a tenant's project (key: <c>tenant/project/queue</c>,
/// see <see cref="ResourceKey"/>). A paused queue hands out nothing to claims; running work goes
/// on. Any queue name can be paused, also one never used yet. Every change is an event on its log.
/// </summary>
[Alias("Levee.IQueueControlGrain")]
public interface IQueueControlGrain : IGrainWithStringKey
{
    /// <summary>Pauses the queue; pausing a paused queue changes nothing.</summary>
    [Alias("Pause")]
    Task<QueueView> PauseAsync(string? reason);

    /// <summary>Resumes the queue (claims hand out its work again at once); resuming a running queue changes nothing.</summary>
    [Alias("Resume")]
    Task<QueueView> ResumeAsync(string? reason);

    /// <summary>The queue's switch.</summary>
    [Alias("Get")]
    Task<QueueView> GetAsync();
}

/// <summary>A queue as its switch sees it.</summary>
/// <param name="Queue">The queue's name.</param>
/// <param name="Paused">True while paused.</param>
[GenerateSerializer, Immutable, Alias("Levee.QueueView")]
public sealed record QueueView([property: Id(0)] string Queue, [property: Id(1)] bool Paused);
