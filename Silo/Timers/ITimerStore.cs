namespace Levee.Silo.Timers;

/// <summary>The durable timers table as the poller sees it (timers are set and cleared by grain commits).</summary>
public interface ITimerStore
{
    /// <summary>Timers due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<DueTimer>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest due time, or null when there is no timer.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Removes delivered timers, except those a grain has since set for another time.</summary>
    Task RemoveDeliveredAsync(IReadOnlyList<DueTimer> delivered, CancellationToken cancellationToken);

    /// <summary>Moves a timer whose delivery failed to <paramref name="retryAt"/>, unless the grain has set it again meanwhile.</summary>
    Task PostponeAsync(DueTimer timer, DateTimeOffset retryAt, CancellationToken cancellationToken);
}
