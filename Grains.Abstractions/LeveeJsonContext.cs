using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Executions;

namespace Levee;

/// <summary>
/// The REST representation of the resources (camelCase, wire status names, nulls written), so an
/// in-cluster client prints exactly what <c>GET /v1/executions/{id}</c> returns.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExecutionView))]
[JsonSerializable(typeof(BatchView))]
public sealed partial class LeveeJsonContext : JsonSerializerContext;
