namespace Levee.Streams;

/// <summary>
/// Reads event logs from the database on any silo (a stateless worker: reads never queue behind
/// the writing grain's commands). Key: <see cref="Key"/>. Follow a log with <see cref="EventFollower"/>.
/// </summary>
[Alias("Levee.IEventLogGrain")]
public interface IEventLogGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "log";

    /// <summary>
    /// Events of <paramref name="stream"/> with <c>seq &gt;= fromSeq</c>, oldest first, at most
    /// <paramref name="maxEvents"/> and about <paramref name="maxBytes"/> of payload (capped at
    /// <see cref="EventPage.MaxEvents"/> and <see cref="EventPage.MaxBytes"/>).
    /// </summary>
    [Alias("Read")]
    Task<EventPage> ReadAsync(GrainId stream, long fromSeq, int maxEvents, int maxBytes);
}
