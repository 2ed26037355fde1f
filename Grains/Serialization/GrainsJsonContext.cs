using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Executions;
using Levee.Grains.Idempotency;

namespace Levee.Grains.Serialization;

/// <summary>Source-generated JSON for grain state and events (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionState))]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(ExecutionCreated))]
[JsonSerializable(typeof(BatchChildCreated))]
[JsonSerializable(typeof(StatusChanged))]
[JsonSerializable(typeof(ReportRecorded))]
[JsonSerializable(typeof(ExecutionCancelled))]
[JsonSerializable(typeof(ExecutionView))]
[JsonSerializable(typeof(ExecutionClaimed))]
[JsonSerializable(typeof(RetryScheduled))]
[JsonSerializable(typeof(LeaseExpired))]
[JsonSerializable(typeof(ApprovalRequested))]
[JsonSerializable(typeof(ApprovalDecided))]
[JsonSerializable(typeof(ExecutionResumed))]
[JsonSerializable(typeof(BatchState))]
[JsonSerializable(typeof(BatchWaitRequested))]
[JsonSerializable(typeof(BatchResumed))]
[JsonSerializable(typeof(CreateBatch))]
[JsonSerializable(typeof(BatchCreated))]
[JsonSerializable(typeof(BatchItemsAccepted))]
[JsonSerializable(typeof(BatchSealed))]
[JsonSerializable(typeof(BatchChildFinished))]
[JsonSerializable(typeof(BatchFinished))]
[JsonSerializable(typeof(BatchAborted))]
[JsonSerializable(typeof(BatchParentAttached))]
[JsonSerializable(typeof(IdempotencyState))]
internal sealed partial class GrainsJsonContext : JsonSerializerContext;
