using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levee.Gateway.Json;

/// <summary>
/// JSON that is already serialized (an event payload as stored): written through unchanged, so
/// serving a stream never parses and re-serializes every event.
/// </summary>
/// <param name="Utf8">The UTF-8 JSON text.</param>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(ReadOnlyMemory<byte> Utf8);

/// <summary>Writes <see cref="RawJson"/> as-is; reads any JSON value into it.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc />
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonSerializer.SerializeToUtf8Bytes(document.RootElement, GatewayJsonContext.Default.JsonElement));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        // Stored payloads were produced by our own serializers: valid JSON by construction.
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
