using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Levee.Grains.Serialization;

/// <summary>
/// The JSON of stored state rows (not of events, whose payloads clients read): what reading would
/// give back anyway is not written. A property is left out when it is computed (no setter), or when
/// it holds exactly what reading gives a row that lacks it. A batch child's row is written a million
/// times per batch, and every byte left out is one the writer thread does not copy, checksum and
/// write twice (log, then database).
/// </summary>
internal static class StoredStateJson
{
    private static readonly JsonSerializerOptions Options = new(GrainsJsonContext.Default.Options)
    {
        TypeInfoResolver = GrainsJsonContext.Default.WithAddedModifier(OmitWhatReadingRestores),
    };

    public static JsonTypeInfo<T> For<T>() => Contract<T>.Info;

    /// <summary>Resolved once per state type (every commit writes a state row).</summary>
    private static class Contract<T>
    {
        public static readonly JsonTypeInfo<T> Info = (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
    }

    /// <summary>Runs once for every type the stored states contain.</summary>
    private static void OmitWhatReadingRestores(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        var full = GrainsJsonContext.Default.GetTypeInfo(type.Type)!;
        var template = Template(full);
        foreach (var property in type.Properties)
        {
            if (property.Set is null && property.AssociatedParameter is null)
            {
                property.ShouldSerialize = static (_, _) => false;
                continue;
            }
            if (SameAs(type, property) is { } other)
            {
                property.ShouldSerialize = (owner, value) => !Same(value, other(owner));
                continue;
            }
            if (property.IsRequired || property.Get is null || Restored(full, property, template) is not { } restored)
            {
                continue;
            }
            var start = restored.Value;
            property.ShouldSerialize = start switch
            {
                ICollection { Count: 0 } => static (_, value) => value is not ICollection { Count: 0 },
                ICollection => null,
                _ => (_, value) => !Equals(value, start),
            };
        }
    }

    /// <summary>
    /// What reading gives the property when the row lacks it, found by reading exactly such a row:
    /// a constructor parameter's default (<c>RetryPolicy(int MaxAttempts = 3, …)</c>), else what
    /// reading the template without the property yields (an initializer, or the type's default —
    /// the source generator sets init-only members, so it is measured, not assumed). Null: unknown,
    /// so the property is always written.
    /// </summary>
    private static StrongBox<object?>? Restored(JsonTypeInfo full, JsonPropertyInfo property, JsonObject? template)
    {
        if (property.AssociatedParameter is { IsMemberInitializer: false } parameter)
        {
            return new(parameter.HasDefaultValue ? parameter.DefaultValue : Default(property.PropertyType));
        }
        if (template is null)
        {
            return null;
        }
        var row = (JsonObject)template.DeepClone();
        row.Remove(property.Name);
        try
        {
            return row.Deserialize(full) is { } read ? new(property.Get!(read)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A fresh instance as JSON, its initializers run and its required strings empty; null for a
    /// positional record (whose starting values are its parameters' defaults) or a type that cannot
    /// be made so.
    /// </summary>
    private static JsonObject? Template(JsonTypeInfo full)
    {
        if (full.Type.GetConstructor(Type.EmptyTypes) is not { } constructor)
        {
            return null;
        }
        try
        {
            // Reflection: C#'s `required` is a compile-time rule. Required strings, null here, are
            // given in the JSON so that reading it back is allowed.
            if (JsonSerializer.SerializeToNode(constructor.Invoke(null), full) is not JsonObject json)
            {
                return null;
            }
            foreach (var property in full.Properties.Where(p => p.IsRequired && p.PropertyType == typeof(string)))
            {
                json[property.Name] ??= "";
            }
            return json;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The getter of the property a <see cref="SameAsAttribute"/> names; null when there is none.</summary>
    private static Func<object, object?>? SameAs(JsonTypeInfo type, JsonPropertyInfo property)
    {
        if (property.AttributeProvider?.GetCustomAttributes(typeof(SameAsAttribute), inherit: false) is not [SameAsAttribute same])
        {
            return null;
        }
        return type.Properties.FirstOrDefault(p => p.AttributeProvider is System.Reflection.MemberInfo { Name: var name } && name == same.Property)?.Get
            ?? throw new InvalidOperationException($"[SameAs({same.Property})] on {type.Type.Name}.{property.Name} names no stored property — a bug.");
    }

    /// <summary>Equal as reading would give it back: a time keeps its offset too.</summary>
    private static bool Same(object? value, object? restored) =>
        value is DateTimeOffset time && restored is DateTimeOffset other ? time.EqualsExact(other) : Equals(value, restored);

    private static object? Default(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
}
