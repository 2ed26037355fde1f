using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Levee.Wire;

/// <summary>
/// The wire names of an enum, read once from its <see cref="JsonStringEnumMemberNameAttribute"/>s:
/// the one source of the names an enum has in JSON, in stored rows, in index columns and as log
/// event types. Every member must carry the attribute; an enum that does not is refused on first use.
/// </summary>
/// <typeparam name="TEnum">An enum whose members are 0, 1, 2, … in declaration order.</typeparam>
public static class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly string[] Names = ReadNames();
    private static readonly ReadOnlyCollection<string> ReadOnlyNames = Array.AsReadOnly(Names);
    private static readonly FrozenDictionary<TEnum, string> NameOf =
        Names.Select((name, index) => KeyValuePair.Create((TEnum)Enum.ToObject(typeof(TEnum), index), name)).ToFrozenDictionary();
    private static readonly FrozenDictionary<string, TEnum> ByName =
        Names.Select((name, index) => KeyValuePair.Create(name, (TEnum)Enum.ToObject(typeof(TEnum), index))).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every wire name, in member order.</summary>
    public static IReadOnlyList<string> All => ReadOnlyNames;

    /// <summary>The wire name of <paramref name="value"/>; a value outside the enum is a bug and throws.</summary>
    public static string Of(TEnum value) =>
        // A dictionary on the enum itself: no boxing on a path that runs for every index row and event.
        NameOf.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Unexpected {typeof(TEnum).Name} value {value:D} — a bug.");

    /// <summary>Parses a wire name (exact, case-sensitive).</summary>
    public static bool TryParse(string? name, out TEnum value)
    {
        if (name is not null && ByName.TryGetValue(name, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    private static string[] ReadNames()
    {
        var fields = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static);
        var names = new string[fields.Length];
        foreach (var field in fields)
        {
            var index = Convert.ToInt32(field.GetValue(null), System.Globalization.CultureInfo.InvariantCulture);
            var attribute = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>();
            if ((uint)index >= (uint)names.Length || names[index] is not null || attribute is null)
            {
                throw new InvalidOperationException(
                    $"{typeof(TEnum).Name}.{field.Name} needs a [JsonStringEnumMemberName] and values 0..{names.Length - 1} — a bug.");
            }
            names[index] = attribute.Name;
        }
        return names;
    }
}
