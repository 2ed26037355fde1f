namespace Levee.Silo.Timers;

/// <summary>How due times are stored: whole milliseconds, rounded up.</summary>
/// <remarks>
/// Rounding down would let the poller (or a claimer) act up to a millisecond before the exact
/// instant the grain checks against; the grain would then see "not yet" and the delivered timer
/// would be gone — a lease that never expires. Rounded up, whoever reads the row acts no earlier
/// than the grain will agree.
/// </remarks>
public static class DueTime
{
    /// <summary>Unix milliseconds of <paramref name="due"/>, rounded up.</summary>
    public static long ToStored(DateTimeOffset due) => due.AddTicks(TimeSpan.TicksPerMillisecond - 1).ToUnixTimeMilliseconds();
}
