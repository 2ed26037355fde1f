using System.Text.Json.Serialization;
using Levee.Executions;

namespace Levee;

/// <summary>Source-generated JSON metadata for the contracts (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreateExecution))]
internal sealed partial class AbstractionsJsonContext : JsonSerializerContext;
