namespace Levee.Grains.Durable;

/// <summary>
/// A grain that sets durable timers. A timer is a row committed with the grain's state; when it
/// falls due (also while the silo was down) the timer poller delivers it here, through an
/// ordinary grain call that Orleans routes to wherever the grain lives.
/// </summary>
[Alias("Levee.ITimerReceiver")]
public interface ITimerReceiver : IGrainWithStringKey
{
    /// <summary>Delivers the due timer <paramref name="name"/> set for <paramref name="dueAt"/>; true when it may be removed.</summary>
    [Alias("ReceiveTimer")]
    Task<bool> ReceiveTimerAsync(string name, DateTimeOffset dueAt);
}
