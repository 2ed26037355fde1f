namespace Levee.Gateway.Batches;

/// <summary>Example bodies of the batch endpoints for the OpenAPI document, as the gateway writes them.</summary>
internal static class BatchExamples
{
    /// <summary>Phase 1: a batch of 1000 with ceilings.</summary>
    public const string CreateRequest = """
        {"runCount":1000,"task":"summarize","queue":"llm","retry":{"maxAttempts":3},"sealTimeoutMs":3600000,
         "ceilings":{"deadlineMs":7200000,"maxFailureRate":0.1,"minFinished":50,"maxConcurrency":20,"budget":{"limit":25,"unit":"usd"}},
         "tags":["nightly"]}
        """;

    /// <summary>The pending batch that create made.</summary>
    public const string Batch = """
        {"id":"bat_01M8SDC8CBZQRN3YXCQE6C42TM","status":"pending","runCount":1000,"enqueuedCount":0,"sealed":false,
         "counts":{"queued":0,"running":0,"waiting":0,"succeeded":0,"failed":0,"cancelled":0,"timedOut":0},"task":"summarize","queue":"llm",
         "parentId":null,"resumeParent":false,"tags":["nightly"],"createdAt":"2026-01-15T09:30:00+00:00","sealedAt":null,"completedAt":null,
         "sealDeadline":"2026-01-15T10:30:00+00:00","version":1,"lastEventSeq":1,
         "ceilings":{"deadlineMs":7200000,"maxFailureRate":0.1,"minFinished":50,"maxConsecutiveFailures":null,"maxConcurrency":20,
         "budget":{"limit":25,"unit":"usd"}},"spent":0,"abortReason":null,"paused":false}
        """;

    /// <summary>Phase 2: one NDJSON line (the body is one such object per line).</summary>
    public const string ItemLine = """{"index":0,"input":{"documentId":"doc_1"},"options":{"tags":["first"]}}""";
}
