using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levee.Client.Json;

/// <summary>
/// Source-generated contracts of every body the client reads or writes: camelCase, nulls left
/// out (the API refuses unknown fields, and a missing optional field takes its default).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Execution))]
[JsonSerializable(typeof(CreateExecutionRequest))]
[JsonSerializable(typeof(Page<Execution>))]
[JsonSerializable(typeof(StatusWrite))]
[JsonSerializable(typeof(EventsBody))]
[JsonSerializable(typeof(EventsAccepted))]
[JsonSerializable(typeof(OutputBody))]
[JsonSerializable(typeof(OutputRange))]
[JsonSerializable(typeof(ReasonBody))]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(ClaimBody))]
[JsonSerializable(typeof(ClaimsEnvelope))]
[JsonSerializable(typeof(LeaseBody))]
[JsonSerializable(typeof(HeartbeatResult))]
[JsonSerializable(typeof(CompleteBody))]
[JsonSerializable(typeof(FailBody))]
[JsonSerializable(typeof(WaitBody))]
[JsonSerializable(typeof(ApprovalBody))]
[JsonSerializable(typeof(ApprovalTicket))]
[JsonSerializable(typeof(DecisionBody))]
[JsonSerializable(typeof(ApprovalDecision))]
[JsonSerializable(typeof(CreateBatchRequest))]
[JsonSerializable(typeof(Batch))]
[JsonSerializable(typeof(BatchItem))]
[JsonSerializable(typeof(BatchItemsResult))]
[JsonSerializable(typeof(CreateKeyBody))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(KeyList))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(ExecutionStatus))]
internal sealed partial class LeveeClientJsonContext : JsonSerializerContext;
