using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Client.Worker;

/// <summary>
/// The worker host: per queue, a loop that long-poll claims as many jobs as it has free slots,
/// runs each handler with automatic heartbeats (a third of the lease), and writes its end:
/// complete, fail (retryable unless the handler said otherwise), or nothing when it suspended.
/// A heartbeat that answers <c>cancelRequested</c> or refuses the lease stops the handler. On
/// shutdown it stops claiming, lets running jobs finish until <see cref="LeveeWorkerOptions.ReleaseMargin"/>
/// before the host's shutdown timeout, then stops them and releases their claims.
/// </summary>
internal sealed class LeveeWorkerService(
    LeveeClient client, IOptions<LeveeWorkerOptions> options, IOptions<HostOptions> host, WorkerMetrics metrics, ILogger<LeveeWorkerService> logger)
    : BackgroundService
{
    private readonly LeveeWorkerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, JobRun> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each loop returns once claiming stopped and its running jobs finished (or were released by StopAsync).
        await Task.WhenAll(_options.Queues.Select(q => ClaimLoopAsync(q, stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var graceful = host.Value.ShutdownTimeout - _options.ReleaseMargin;
        using var releaseAt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        releaseAt.CancelAfter(graceful > TimeSpan.Zero ? graceful : TimeSpan.Zero);
        using var registration = releaseAt.Token.Register(ReleaseAll);
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Stops every running job for shutdown; a handler that ignores its token has half the margin before its claim is released under it.</summary>
    private void ReleaseAll()
    {
        foreach (var run in _running.Values)
        {
            run.Stop(StopReason.Shutdown);
            _ = ReleaseIfStillRunningAsync(run, _options.ReleaseMargin / 2);
        }
    }

    private async Task ReleaseIfStillRunningAsync(JobRun run, TimeSpan grace)
    {
        await Task.WhenAny(run.Finished, Task.Delay(grace));
        if (!run.Finished.IsCompleted && run.TryEnd())
        {
            await ReleaseAsync(run);
        }
    }

    private async Task ClaimLoopAsync(QueueWorkerBuilder queue, CancellationToken stoppingToken)
    {
        var handler = queue.Handler ?? throw new InvalidOperationException($"Queue '{queue.Name}' has no handler: call Handle<T>(...) on it.");
        using var slots = new SemaphoreSlim(queue.MaxConcurrency, queue.MaxConcurrency);
        WorkerLog.Serving(logger, _options.WorkerId, queue.Name, queue.MaxConcurrency);
        var failures = 0;
        var inFlight = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var free = 1;
            while (free < 100 && slots.Wait(0, CancellationToken.None))
            {
                free++;
            }
            IReadOnlyList<Claim> claims;
            try
            {
                claims = await client.ClaimAsync(queue.Name, _options.WorkerId, free, queue.ClaimWait, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                slots.Release(free);
                break;
            }
            catch (Exception e)
            {
                // The silo restarting, the network down, a bad key: keep the host up and try again later.
                slots.Release(free);
                metrics.ClaimError(queue.Name);
                var delay = ClaimBackoff(++failures);
                WorkerLog.ClaimFailed(logger, e, queue.Name, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            if (claims.Count < free)
            {
                slots.Release(free - claims.Count);
            }
            if (claims.Count > 0)
            {
                metrics.Claimed(queue.Name, claims.Count);
            }
            inFlight.RemoveWhere(t => t.IsCompleted);
            foreach (var claim in claims)
            {
                inFlight.Add(RunAndFreeSlotAsync(claim, queue.Name, handler, slots));
            }
        }
        // Every job releases its slot before its task ends, so the slots outlive them all.
        await Task.WhenAll(inFlight);
    }

    private async Task RunAndFreeSlotAsync(Claim claim, string queue, Func<JobContext, System.Text.Json.JsonSerializerOptions, CancellationToken, Task<JobResult>> handler,
        SemaphoreSlim slots)
    {
        try
        {
            await RunAsync(claim, queue, handler);
        }
        catch (Exception e)
        {
            // Never let one job stop the host (a BackgroundService that throws ends the application).
            WorkerLog.EndFailed(logger, e, claim.Execution.Id);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Exponential, with full jitter, capped: the n-th failure in a row waits up to 250 ms × 2^(n-1).</summary>
    private TimeSpan ClaimBackoff(int failures)
    {
        var ceiling = Math.Min(_options.MaxClaimBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private async Task RunAsync(Claim claim, string queue, Func<JobContext, System.Text.Json.JsonSerializerOptions, CancellationToken, Task<JobResult>> handler)
    {
        // Off the claim loop at once: the handler's synchronous part must not delay the next claim.
        await Task.Yield();
        using var run = new JobRun(claim, queue);
        _running[claim.LeaseId] = run;
        var started = Stopwatch.GetTimestamp();
        WorkerLog.Claimed(logger, run.Id, claim.Attempt, queue);
        using var heartbeatsStop = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(run, heartbeatsStop.Token);
        JobResult? result = null;
        try
        {
            var context = new JobContext(claim, queue, _options.WorkerId, client, _options.JsonOptions, run.Token);
            result = await handler(context, _options.JsonOptions, run.Token);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            // Stopped by the host: what to write depends on why (below).
        }
        catch (JobSuspendedException)
        {
            result = JobResult.Suspended;
        }
        catch (Exception e)
        {
            WorkerLog.HandlerThrew(logger, e, run.Id);
            result = JobResult.Fail(e.Message, e.GetType().Name, retryable: e is not NonRetryableJobException);
        }
        finally
        {
            await heartbeatsStop.CancelAsync();
            await heartbeats;
        }
        var outcome = await EndAsync(run, result);
        metrics.Ended(queue, outcome, Stopwatch.GetElapsedTime(started));
        _running.TryRemove(claim.LeaseId, out _);
        run.MarkFinished();
    }

    /// <summary>Writes the job's end once; returns the outcome's metric name.</summary>
    private async Task<string> EndAsync(JobRun run, JobResult? result)
    {
        switch (run.Reason)
        {
            case StopReason.Cancelled when result is null:
                WorkerLog.Cancelled(logger, run.Id);
                return "cancelled";
            case StopReason.LeaseLost when result is null:
                return "lease_lost";
            case StopReason.Deadline when result is null:
                WorkerLog.DeadlinePassed(logger, run.Id, run.Claim.Execution.DeadlineAt);
                return "timed_out";
            case StopReason.Shutdown when result is null:
                return run.TryEnd() ? await ReleaseAsync(run) : "released";
            default:
                break;
        }
        if (result is null)
        {
            throw new UnreachableException($"A handler stopped by the host for '{run.Reason}' left no result — a bug.");
        }
        if (result.Outcome == JobOutcome.Suspended)
        {
            WorkerLog.Suspended(logger, run.Id, run.Claim.Attempt);
            return "suspended";
        }
        if (!run.TryEnd())
        {
            return "released"; // the shutdown released the claim under a handler that ignored its token
        }
        var elapsed = Stopwatch.GetTimestamp();
        return await WriteEndAsync(run, async () =>
        {
            if (result.Outcome == JobOutcome.Complete)
            {
                await client.CompleteAsync(run.Id, run.Claim.LeaseId, result.Output, result.Cost, CancellationToken.None);
                WorkerLog.Completed(logger, run.Id, run.Claim.Attempt, (long)Stopwatch.GetElapsedTime(elapsed).TotalMilliseconds);
                return "completed";
            }
            await client.FailAsync(run.Id, run.Claim.LeaseId, result.Error!, result.Retryable, result.RetryAfter, result.Cost, CancellationToken.None);
            WorkerLog.Failed(logger, run.Id, run.Claim.Attempt, result.Retryable, result.Error!.Message);
            return "failed";
        });
    }

    private Task<string> ReleaseAsync(JobRun run) => WriteEndAsync(run, async () =>
    {
        using var timeout = new CancellationTokenSource(_options.ReleaseMargin);
        await client.ReleaseAsync(run.Id, run.Claim.LeaseId, timeout.Token);
        WorkerLog.Released(logger, run.Id);
        return "released";
    });

    /// <summary>Writes a job's end; a lease already gone is logged as such, any other failure leaves the lease to lapse (then a retry).</summary>
    private async Task<string> WriteEndAsync(JobRun run, Func<Task<string>> write)
    {
        try
        {
            return await write();
        }
        catch (LeveeApiException e) when (IsLeaseGone(e))
        {
            WorkerLog.LeaseLost(logger, run.Id, e.Code);
            return "lease_lost";
        }
        catch (Exception e)
        {
            WorkerLog.EndFailed(logger, e, run.Id);
            return "end_failed";
        }
    }

    /// <summary>The refusals that mean this worker no longer owns the job: its lease expired or was superseded, or the execution ended (or went).</summary>
    private static bool IsLeaseGone(LeveeApiException e) => e.Code is "lease_lost" or "terminal_state" or "not_found";

    /// <summary>Heartbeats every third of the lease until stopped; stops the handler on a cancel or a refused lease.</summary>
    private async Task HeartbeatAsync(JobRun run, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(run.HeartbeatInterval);
        var leaseExpiresAt = run.Claim.LeaseExpiresAt;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    var beat = await client.HeartbeatAsync(run.Id, run.Claim.LeaseId, stop);
                    leaseExpiresAt = beat.LeaseExpiresAt;
                    if (beat.CancelRequested)
                    {
                        run.Stop(StopReason.Cancelled);
                        return;
                    }
                }
                catch (LeveeApiException e) when (IsLeaseGone(e))
                {
                    WorkerLog.LeaseLost(logger, run.Id, e.Code);
                    run.Stop(StopReason.LeaseLost);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // Transient (the silo restarting): the lease may still hold; the next tick tries again.
                    WorkerLog.HeartbeatFailed(logger, e, run.Id, leaseExpiresAt);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The job ended.
        }
    }
}
