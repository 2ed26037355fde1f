namespace Levee.Grains.Durable;

/// <summary>The kinds of outbox message between Levee's grains.</summary>
public static class OutboxKinds
{
    /// <summary>To a batch: its child reached a terminal status (payload: <c>{index}:{status}</c>, see <see cref="ChildFinished"/>).</summary>
    public const string ChildFinished = "child_finished";
    /// <summary>To an execution: cancel it (payload: reason).</summary>
    public const string Cancel = "cancel";
    /// <summary>To a waiting execution: the batch (payload: batch id) is terminal; resume.</summary>
    public const string BatchFinished = "batch_finished";
    /// <summary>To a batch: an execution (payload: its id) now waits for it; resume it when terminal (at once if it is).</summary>
    public const string AttachWaiter = "attach_waiter";
}
