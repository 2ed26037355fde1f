namespace Levee.Streams;

/// <summary>One event of a grain's log.</summary>
/// <param name="Seq">Position in the stream: 1, 2, 3… without gaps.</param>
/// <param name="Type">Event type.</param>
/// <param name="Data">UTF-8 JSON payload, as stored.</param>
/// <param name="Time">When it was written.</param>
[GenerateSerializer, Immutable, Alias("Levee.LogEvent")]
public sealed record LogEvent([property: Id(0)] long Seq, [property: Id(1)] string Type, [property: Id(2)] byte[] Data, [property: Id(3)] DateTimeOffset Time);

/// <summary>A bounded page of a log: at most the events and bytes asked for (but always at least one event when any is there).</summary>
/// <param name="Events">Events, oldest first.</param>
/// <param name="More">True when the page stopped at a bound, not at the end of the log.</param>
[GenerateSerializer, Immutable, Alias("Levee.EventPage")]
public sealed record EventPage([property: Id(0)] IReadOnlyList<LogEvent> Events, [property: Id(1)] bool More)
{
    /// <summary>Most payload bytes in one page: grain-call messages stay small whatever the events hold.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Most events in one page.</summary>
    public const int MaxEvents = 1000;
}
