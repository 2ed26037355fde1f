using System.Diagnostics;
using System.Threading.Channels;

namespace Levee.Load.Scenarios;

/// <summary>
/// A human-in-the-loop round trip per execution: a worker claims it and requests an approval
/// (the execution waits, its lease released); an approver approves as soon as the request
/// returned; a worker claims the execution again, sees the decision and completes it. Measures
/// executions/s, queue→claim for the first claim and decided→claim: from the decision's 200 to
/// the claim response that hands the execution out again.
/// </summary>
internal sealed class ApprovalScenario(HttpClient client, LoadOptions options)
    : QueueScenario<ApprovalScenario.ApprovalPhase>(client, options)
{
    private const int Request = 3;
    private const int Decide = 4;
    private const int Complete = 5;
    private const int DecidedToClaim = 1;
    private const string ToolCallId = "c1";

    private static readonly byte[] ApproveBody = """{"approved":true}"""u8.ToArray();

    public override string Name => "approval";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "claim", "claim-empty", "request", "decide", "complete"];
    protected override IReadOnlyList<string> Flows { get; } = ["queue→claim", "decided→claim"];
    protected override int Helpers => Options.Approvers;
    protected override string HelperName => "approvers";

    protected override ApprovalPhase NewPhase(string queue, int count, CancellationToken cancel) => new(queue, count, cancel);

    protected override IEnumerable<Metric> PhaseMetrics(ApprovalPhase phase) => [new("claimed before 200", phase.DecidedToClaim.Reversed, "F0")];

    protected override async Task HandleAsync(LoadWorker worker, ApprovalPhase phase, ClaimedExecution claim, long claimedAt)
    {
        switch (claim.Approvals)
        {
            case []:
                // First claim: ask for the approval, then hand the execution to the approvers.
                phase.QueueToClaim.Stop(claim.Id, claimedAt, worker.Flow(QueueToClaim));
                var body = LeaseBody(claim.LeaseId, $$""" "toolCallId":"{{ToolCallId}}","tool":"refund" """);
                if ((await worker.SendAsync(Request, HttpMethod.Post, ExecutionUri(claim.Id, "approvals"), body)).Ok)
                {
                    phase.Requested.Writer.TryWrite(claim.Id);
                }
                else
                {
                    phase.Finish(worker, succeeded: false);
                }
                break;
            case [{ ToolCallId: ToolCallId, Status: "approved" }]:
                // Second claim, after the decision.
                phase.DecidedToClaim.Stop(claim.Id, claimedAt, worker.Flow(DecidedToClaim));
                await CompleteAsync(worker, phase, Complete, claim);
                break;
            default:
                worker.RecordError(Claim, "unexpected-approvals",
                    $"{claim.Id}: {string.Join(", ", claim.Approvals.Select(a => $"{a.ToolCallId}={a.Status}"))}");
                phase.Finish(worker, succeeded: false);
                break;
        }
    }

    /// <summary>An approver: approves each requested approval as soon as its request returned.</summary>
    protected override async Task HelpAsync(LoadWorker approver, ApprovalPhase phase)
    {
        try
        {
            await foreach (var id in phase.Requested.Reader.ReadAllAsync(phase.Stopping))
            {
                if ((await approver.SendAsync(Decide, HttpMethod.Post, ExecutionUri(id, $"approvals/{ToolCallId}"), ApproveBody)).Ok)
                {
                    phase.DecidedToClaim.Start(id, Stopwatch.GetTimestamp(), approver.Flow(DecidedToClaim));
                }
                else
                {
                    phase.Finish(approver, succeeded: false);
                }
            }
        }
        catch (OperationCanceledException) when (phase.Stopping.IsCancellationRequested)
        {
            // Every execution is finished (or the run was interrupted).
        }
    }

    /// <summary>A phase plus the hand-over from workers to approvers and the decided→claim timer.</summary>
    internal sealed class ApprovalPhase(string queue, int count, CancellationToken cancel) : QueuePhase(queue, count, cancel)
    {
        /// <summary>Executions whose approval request returned, waiting for a decision.</summary>
        public Channel<string> Requested { get; } = Channel.CreateUnbounded<string>();

        /// <summary>From a decision's 200 to the claim response that hands the execution out again.</summary>
        public FlowTimer DecidedToClaim { get; } = new();
    }
}
