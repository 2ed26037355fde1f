using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Levee.Gateway.Json;

/// <summary>
/// Reads a free-form JSON value (input, output, metadata, data) and refuses text that cannot be
/// written back: an escaped lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON syntax but no
/// string, and would fail later, in the fingerprint or the commit, as a 500. Refused here, it is a
/// <see cref="JsonException"/>, which the body reader answers with 400 naming the field (or, in
/// NDJSON, the line). So are bytes that are not UTF-8, which would otherwise be stored as
/// U+FFFD: what is stored is what was sent. Only a value holding a <c>\u</c> escape is walked.
/// </summary>
public sealed class CheckedJsonElementConverter : JsonConverter<JsonElement>
{
    /// <inheritdoc />
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The built-in reader, with these options (duplicate keys refused), then the check.
        var element = JsonMetadataServices.JsonElementConverter.Read(ref reader, typeToConvert, options);
        var raw = JsonMarshal.GetRawUtf8Value(element);
        // The reader keeps a value's bytes as sent; invalid UTF-8 in them would be stored as U+FFFD.
        if (!Utf8.IsValid(raw))
        {
            throw new JsonException("The value holds bytes that are not UTF-8.");
        }
        if (raw.IndexOf("\\u"u8) >= 0 && !IsText(element))
        {
            throw new JsonException("The value holds an escaped lone UTF-16 surrogate, which is not text.");
        }
        return element;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    /// <summary>True when every string and property name in <paramref name="element"/> unescapes to valid UTF-16.</summary>
    private static bool IsText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!IsText(item))
                        {
                            return false;
                        }
                    }
                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!IsText(property.Value))
                        {
                            return false;
                        }
                        _ = property.Name;
                    }
                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
