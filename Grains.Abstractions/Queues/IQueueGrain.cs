using Levee.Executions;
using Levee.Streams;

namespace Levee.Queues;

/// <summary>
/// One work queue of a tenant's project. Key: <c>tenant/project/queue</c> (see
/// <see cref="ResourceKey"/>). It finds claimable executions in the database and claims
/// them through each execution grain's compare-and-set, so two claimers never win one attempt;
/// commits that make work claimable wake it (<see cref="ReadyAsync"/>), and it wakes its
/// watchers, so long-polling claimers on any gateway claim at once. It keeps no durable state:
/// a queue with no work and no watchers leaves nothing behind. Long-poll with <see cref="QueueClaimer"/>.
/// </summary>
[Alias("Levee.IQueueGrain")]
public interface IQueueGrain : IWatchable
{
    /// <summary>Claims up to <paramref name="max"/> executions that are queued and due, oldest due first; returns at once.</summary>
    [Alias("Claim")]
    Task<ClaimRound> ClaimAsync(string workerId, int max);

    /// <summary>An execution of this queue became claimable (sent by the execution or batch that committed it).</summary>
    [Alias("Ready"), Orleans.Concurrency.OneWay]
    Task ReadyAsync();
}

/// <summary>What one claim attempt got.</summary>
/// <param name="Claims">The executions claimed, each a new attempt with a fresh lease.</param>
/// <param name="Contended">True when candidates were there but other claimers won them: try again at once.</param>
[GenerateSerializer, Immutable, Alias("Levee.ClaimRound")]
public sealed record ClaimRound([property: Id(0)] IReadOnlyList<ClaimView> Claims, [property: Id(1)] bool Contended);
