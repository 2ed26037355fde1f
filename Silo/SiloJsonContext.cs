using System.Text.Json.Serialization;

namespace Levee.Silo;

/// <summary>Source-generated JSON for the few values the silo serializes itself (lists bound as SQL parameters).</summary>
[JsonSerializable(typeof(IReadOnlyList<int>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
