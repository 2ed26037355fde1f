namespace Levee.Gateway.Workers;

/// <summary>Example bodies of the worker endpoints for the OpenAPI document, as the gateway writes them.</summary>
internal static class WorkerExamples
{
    /// <summary>A long-polling claim of up to ten executions.</summary>
    public const string ClaimRequest = """{"workerId":"worker-1","max":10,"waitMs":20000}""";

    /// <summary>One execution claimed.</summary>
    public const string Claims = """
        {"claims":[{"execution":{"id":"exe_01M8SDC4GHBF3JZY48GQKAEEF8","task":"send-email","queue":"emails","status":"running","attempt":1,
         "maxAttempts":5,"input":{"to":"ada@example.com","template":"welcome"},"output":null,"error":null,"parentId":null,"batchId":null,
         "batchIndex":null,"tags":["onboarding"],"metadata":{"customerId":"cus_42"},"idempotencyKey":null,"approvals":[],"waitingFor":null,
         "batchSummary":null,"availableAt":"2026-01-15T09:30:00+00:00","createdAt":"2026-01-15T09:30:00+00:00",
         "updatedAt":"2026-01-15T09:30:01+00:00","startedAt":"2026-01-15T09:30:01+00:00","completedAt":null,"cancelRequested":false,
         "version":2,"lastEventSeq":2,"cost":null},
         "attempt":1,"leaseId":"lease_01M8SDC4SXNYN150Y8BHE9XADT","leaseExpiresAt":"2026-01-15T09:30:31+00:00"}]}
        """;

    /// <summary>A completion with output and a cost.</summary>
    public const string CompleteRequest = """{"leaseId":"lease_01M8SDC4SXNYN150Y8BHE9XADT","output":{"messageId":"msg_7f3a"},"cost":0.0021}""";

    /// <summary>The execution it completed.</summary>
    public const string Completed = """
        {"id":"exe_01M8SDC4GHBF3JZY48GQKAEEF8","task":"send-email","queue":"emails","status":"succeeded","attempt":1,"maxAttempts":5,
         "input":{"to":"ada@example.com","template":"welcome"},"output":{"messageId":"msg_7f3a"},"error":null,"parentId":null,"batchId":null,
         "batchIndex":null,"tags":["onboarding"],"metadata":{"customerId":"cus_42"},"idempotencyKey":null,"approvals":[],"waitingFor":null,
         "batchSummary":null,"availableAt":"2026-01-15T09:30:00+00:00","createdAt":"2026-01-15T09:30:00+00:00",
         "updatedAt":"2026-01-15T09:30:04+00:00","startedAt":"2026-01-15T09:30:01+00:00","completedAt":"2026-01-15T09:30:04+00:00",
         "cancelRequested":false,"version":3,"lastEventSeq":4,"cost":0.0021}
        """;
}
