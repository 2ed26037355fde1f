namespace Levee.Silo.Timers;

/// <summary>The durable timers table as the poller sees it (timers are set and cleared by grain commits).</summary>
public interface ITimerStore
{
    /// <summary>Timers due at <paramref name="now"/>, earliest first.</summary>
    IReadOnlyList<DueTimer> ReadDue(DateTimeOffset now, int limit);

    /// <summary>The earliest due time, or null when there is no timer.</summary>
    DateTimeOffset? NextDue();

    /// <summary>Removes delivered timers, except those a grain has since set for another time.</summary>
    void RemoveDelivered(IReadOnlyList<DueTimer> delivered);

    /// <summary>Moves a timer whose delivery failed to <paramref name="retryAt"/>.</summary>
    void Postpone(DueTimer timer, DateTimeOffset retryAt);
}
