using Microsoft.Extensions.Logging;

namespace Levee.Client.Worker;

/// <summary>The worker host's log lines, one per job event.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Worker {WorkerId} serves queue {Queue} with up to {Concurrency} jobs at once")]
    public static partial void Serving(ILogger logger, string workerId, string queue, int concurrency);

    [LoggerMessage(2, LogLevel.Debug, "Claimed {ExecutionId} (attempt {Attempt}) from {Queue}")]
    public static partial void Claimed(ILogger logger, string executionId, int attempt, string queue);

    [LoggerMessage(3, LogLevel.Information, "Completed {ExecutionId} (attempt {Attempt}) in {ElapsedMs} ms")]
    public static partial void Completed(ILogger logger, string executionId, int attempt, long elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "Failed {ExecutionId} (attempt {Attempt}, retryable {Retryable}): {Message}")]
    public static partial void Failed(ILogger logger, string executionId, int attempt, bool retryable, string message);

    [LoggerMessage(5, LogLevel.Information, "Suspended {ExecutionId} (attempt {Attempt}); it is redelivered when it can go on")]
    public static partial void Suspended(ILogger logger, string executionId, int attempt);

    [LoggerMessage(6, LogLevel.Information, "Stopped {ExecutionId}: it was cancelled")]
    public static partial void Cancelled(ILogger logger, string executionId);

    [LoggerMessage(7, LogLevel.Warning, "Stopped {ExecutionId}: its lease is gone ({Code}); another attempt or its final status owns it")]
    public static partial void LeaseLost(ILogger logger, string executionId, string code);

    [LoggerMessage(8, LogLevel.Information, "Released {ExecutionId} (shutting down); it is requeued at once")]
    public static partial void Released(ILogger logger, string executionId);

    [LoggerMessage(9, LogLevel.Warning, "Claiming from {Queue} failed; again in {DelayMs} ms")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, string queue, long delayMs);

    [LoggerMessage(10, LogLevel.Warning, "Heartbeat of {ExecutionId} failed; the lease holds until {LeaseExpiresAt}")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string executionId, DateTimeOffset leaseExpiresAt);

    [LoggerMessage(11, LogLevel.Error, "Writing the end of {ExecutionId} failed; its lease will lapse and it will be retried")]
    public static partial void EndFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(12, LogLevel.Warning, "The handler of {ExecutionId} threw")]
    public static partial void HandlerThrew(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(13, LogLevel.Warning, "Stopped {ExecutionId}: its deadline {DeadlineAt} passed; the server times it out")]
    public static partial void DeadlinePassed(ILogger logger, string executionId, DateTimeOffset? deadlineAt);
}
