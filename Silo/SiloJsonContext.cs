using System.Text.Json.Serialization;

namespace Levee.Silo;

/// <summary>Source-generated JSON for the few values the silo serializes itself.</summary>
[JsonSerializable(typeof(IReadOnlyList<int>))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
