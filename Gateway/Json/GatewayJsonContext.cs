using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Executions;
using Levee.Batches;
using Levee.Gateway.Admin;
using Levee.Gateway.Batches;
using Levee.Gateway.Approvals;
using Levee.Gateway.Workers;
using Levee.Gateway.Executions;
using Levee.Gateway.Streams;
using Levee.Queues;

namespace Levee.Gateway.Json;

/// <summary>
/// Source-generated JSON for every request and response. Unknown request fields are refused
/// (a typo like <c>"taks"</c> is a 400 naming it, not a silently ignored field).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = false,
    Converters = [typeof(CheckedJsonElementConverter)])]
[JsonSerializable(typeof(CreateExecutionRequest))]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(EventsRequest))]
[JsonSerializable(typeof(OutputRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(EventsAccepted))]
[JsonSerializable(typeof(ExecutionView))]
[JsonSerializable(typeof(Page<ExecutionView>))]
[JsonSerializable(typeof(OutputRange))]
[JsonSerializable(typeof(EventItemView))]
[JsonSerializable(typeof(EventPageView))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(ClaimsResponse))]
[JsonSerializable(typeof(QueueView))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatView))]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(FailRequest))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(WaitRequest))]
[JsonSerializable(typeof(ApprovalRequestBody))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(ApprovalRequestView))]
[JsonSerializable(typeof(ApprovalDecisionView))]
[JsonSerializable(typeof(ApprovalView))]
[JsonSerializable(typeof(CreateBatchRequest))]
[JsonSerializable(typeof(BatchItemLine))]
[JsonSerializable(typeof(ItemsResponse))]
[JsonSerializable(typeof(ChildrenPage))]
[JsonSerializable(typeof(ReasonRequest))]
[JsonSerializable(typeof(BatchView))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(KeyList))]
[JsonSerializable(typeof(UsageList))]
[JsonSerializable(typeof(QueueList))]
[JsonSerializable(typeof(BatchList))]
[JsonSerializable(typeof(Levee.Gateway.Dashboard.SignInRequest))]
[JsonSerializable(typeof(Levee.Gateway.Dashboard.SessionView))]
[JsonSerializable(typeof(Levee.Cluster.ClusterView))]
[JsonSerializable(typeof(Levee.Quotas.TenantUsageView))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
