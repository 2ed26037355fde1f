namespace Levee.Executions;

/// <summary>Wakes claimers waiting on a queue when an execution in it becomes claimable (in-process; no polling).</summary>
public interface IQueueNotifier
{
    /// <summary>An execution of this queue is queued and due.</summary>
    void Ready(string tenant, string project, string queue);
}
