namespace Levee.Silo.Queues;

/// <summary>Finds claimable executions (the storage dialect's part of claiming).</summary>
public interface IQueueStore
{
    /// <summary>Ids of queued executions due at <paramref name="now"/>, oldest due first.</summary>
    IReadOnlyList<string> Candidates(string tenant, string project, string queue, DateTimeOffset now, int limit);
}
