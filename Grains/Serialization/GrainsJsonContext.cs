using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Executions;
using Levee.Grains.Idempotency;

namespace Levee.Grains.Serialization;

/// <summary>
/// Source-generated JSON for grain state and events (no reflection on the hot path). Event types
/// are not listed: each base event names its derived types, and the generator follows them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionState))]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(BatchChildCreated))]
[JsonSerializable(typeof(ExecutionView))]
[JsonSerializable(typeof(BatchState))]
[JsonSerializable(typeof(BatchEvent))]
[JsonSerializable(typeof(CreateBatch))]
[JsonSerializable(typeof(IdempotencyState))]
[JsonSerializable(typeof(Queues.QueueControlState))]
[JsonSerializable(typeof(Queues.QueuePauseSet))]
internal sealed partial class GrainsJsonContext : JsonSerializerContext;
