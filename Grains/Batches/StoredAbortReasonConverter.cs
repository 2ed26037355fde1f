using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Wire;

namespace Levee.Grains.Batches;

/// <summary>
/// Reads a batch row's <c>abortReason</c>. Rows written before the reason was typed hold the
/// abort's free text there (a caller's cancel reason, or "not sealed within N ms"): those read as
/// <see cref="AbortReason.SealTimeout"/> or <see cref="AbortReason.Cancelled"/>, the only two
/// ways a batch could be aborted then. Writes the wire name.
/// </summary>
internal sealed class StoredAbortReasonConverter : JsonConverter<AbortReason>
{
    private const string LegacySealTimeout = "not sealed within ";

    public override AbortReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("abortReason is null.");
        if (WireNames<AbortReason>.TryParse(text, out var reason))
        {
            return reason;
        }
        return text.StartsWith(LegacySealTimeout, StringComparison.Ordinal) ? AbortReason.SealTimeout : AbortReason.Cancelled;
    }

    public override void Write(Utf8JsonWriter writer, AbortReason value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireNames<AbortReason>.Of(value));
}
