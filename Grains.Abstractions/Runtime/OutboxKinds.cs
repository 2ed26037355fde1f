namespace Levee.Runtime;

/// <summary>The kinds of outbox message.</summary>
public static class OutboxKinds
{
    /// <summary>To a batch: the child at the index (payload) reached a terminal status.</summary>
    public const string ChildFinished = "child_finished";
    /// <summary>To an execution: cancel it (payload: reason).</summary>
    public const string Cancel = "cancel";
    /// <summary>To a parent execution: the batch (payload: batch id) is terminal; resume.</summary>
    public const string BatchFinished = "batch_finished";
}
