namespace Levee.Runtime;

/// <summary>
/// A grain that sets durable timers (Orleans: reminders). A timer is part of the grain's
/// committed state; when it falls due (even while the silo was down) it is delivered here.
/// </summary>
public interface IRemindable
{
    /// <summary>Delivers the due timer <paramref name="name"/> set for <paramref name="dueAt"/>.</summary>
    Task<bool> ReceiveReminderAsync(string name, DateTimeOffset dueAt);
}
