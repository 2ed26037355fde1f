namespace Levee.Gateway.Executions;

/// <summary>Example bodies of the execution endpoints for the OpenAPI document, as the gateway writes them.</summary>
internal static class ExecutionExamples
{
    /// <summary>A create with most options.</summary>
    public const string CreateRequest = """
        {"task":"send-email","queue":"emails","input":{"to":"ada@example.com","template":"welcome"},
         "retry":{"maxAttempts":5,"initialDelayMs":2000,"backoffFactor":2,"maxDelayMs":60000},
         "timeouts":{"executionMs":600000,"heartbeatMs":30000},"tags":["onboarding"],"metadata":{"customerId":"cus_42"}}
        """;

    /// <summary>The execution that create made.</summary>
    public const string Execution = """
        {"id":"exe_01M8SDC4GHBF3JZY48GQKAEEF8","task":"send-email","queue":"emails","status":"queued","attempt":0,"maxAttempts":5,
         "input":{"to":"ada@example.com","template":"welcome"},"output":null,"error":null,"parentId":null,"batchId":null,"batchIndex":null,
         "tags":["onboarding"],"metadata":{"customerId":"cus_42"},"idempotencyKey":null,"approvals":[],"waitingFor":null,"batchSummary":null,
         "availableAt":"2026-01-15T09:30:00+00:00","createdAt":"2026-01-15T09:30:00+00:00","updatedAt":"2026-01-15T09:30:00+00:00",
         "startedAt":null,"completedAt":null,"cancelRequested":false,"version":1,"lastEventSeq":1,"cost":null}
        """;
}
