using System.Text.Json;

namespace Levee.Grains.Serialization;

/// <summary>
/// An event's payload on its log: the event's own fields, serialized by its runtime type's
/// source-generated contract. Every event type is declared once, with a [JsonDerivedType] on its
/// base record, which makes the generator emit its contract; no codec or context lists events.
/// </summary>
internal static class LogPayloads
{
    public static byte[] Of(object @event) =>
        JsonSerializer.SerializeToUtf8Bytes(@event, GrainsJsonContext.Default.GetTypeInfo(@event.GetType())
            ?? throw new InvalidOperationException($"{@event.GetType().Name} has no [JsonDerivedType] on its base event — a bug."));
}
