using System.Text.Json;
using Levee.Client.Tests.Infrastructure;
using Levee.Client.Worker;
using Microsoft.Extensions.Hosting;

namespace Levee.Client.Tests.Worker;

public sealed record ResizeJob(string Url, int Width);

public sealed record Resized(string Url, int Width);

/// <summary>The worker host against a live silo: each test has its own tenant, queue and host.</summary>
[Collection(LiveSiloCollection.Name)]
public sealed class WorkerHostTests(LiveSilo live) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly List<IHost> _hosts = [];
    private string _key = "";
    private LeveeClient _client = null!;

    public async Task InitializeAsync()
    {
        _key = await live.NewTenantKeyAsync();
        _client = LiveSilo.Client(live.Url, _key);
    }

    private async Task<IHost> StartAsync(Action<LeveeWorkerOptions> configure, TimeSpan? shutdownTimeout = null)
    {
        var host = await WorkerHost.StartAsync(live.Url, _key, configure, shutdownTimeout);
        _hosts.Add(host);
        return host;
    }

    private Task<Execution> CreateAsync(string queue, object input, RetryPolicy? retry = null, ExecutionTimeouts? timeouts = null) =>
        _client.CreateExecutionAsync(new CreateExecutionRequest("resize", Queue: queue, Input: JsonSerializer.SerializeToElement(input, JsonSerializerOptions.Web),
            Retry: retry, Timeouts: timeouts));

    private async Task<Execution> ResultAsync(string id)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _client.WaitForResultAsync(id, timeout.Token);
    }

    [Fact]
    public async Task Handle_HandlerReturnsOutput_CompletesTheExecution()
    {
        await StartAsync(o => o.Queue("images").Poll(TimeSpan.FromSeconds(5))
            .Handle<ResizeJob, Resized>(async (job, ctx, ct) =>
            {
                await Task.Yield();
                return new Resized(job.Url, job.Width / 2);
            }));

        var created = await CreateAsync("images", new ResizeJob("a.png", 640));
        var done = await ResultAsync(created.Id);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(320, done.Output!.Value.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Handle_HandlerThrows_ReportsFailAndTheHostKeepsRunning()
    {
        await StartAsync(o => o.Queue("flaky").Poll(TimeSpan.FromSeconds(5)).Concurrency(2)
            .Handle<ResizeJob>(async (job, ctx, ct) =>
            {
                await Task.Yield();
                return job.Width switch
                {
                    0 => throw new InvalidOperationException("width must be positive"),
                    < 0 => throw new NonRetryableJobException("negative width"),
                    _ => JobResult.Complete(ctx.ToJson(new { ok = true })),
                };
            }));

        var throws = await CreateAsync("flaky", new ResizeJob("zero.png", 0), new RetryPolicy(MaxAttempts: 2, InitialDelayMs: 1));
        var permanent = await CreateAsync("flaky", new ResizeJob("minus.png", -1), new RetryPolicy(MaxAttempts: 3));
        var failed = await ResultAsync(throws.Id);
        var failedAtOnce = await ResultAsync(permanent.Id);
        var fine = await ResultAsync((await CreateAsync("flaky", new ResizeJob("ok.png", 10))).Id);

        Assert.Equal((ExecutionStatus.Failed, 2), (failed.Status, failed.Attempt));
        Assert.Equal(("width must be positive", "InvalidOperationException"), (failed.Error!.Message, failed.Error.Type));
        Assert.Equal((ExecutionStatus.Failed, 1, "negative width"), (failedAtOnce.Status, failedAtOnce.Attempt, failedAtOnce.Error!.Message));
        Assert.Equal(ExecutionStatus.Succeeded, fine.Status);
    }

    /// <summary>A handler that waits on its token for a job of that width (and tells when the token stopped it), and completes any other at once.</summary>
    private static Func<ResizeJob, JobContext, CancellationToken, Task<JobResult>> HangsWhenWidthIs(int width, TaskCompletionSource<bool> stopped) =>
        async (job, ctx, ct) =>
        {
            if (job.Width == width)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    stopped.TrySetResult(true);
                    throw;
                }
            }
            return JobResult.Complete();
        };

    [Fact]
    public async Task Handle_HandlerHangs_IsStoppedAtTheExecutionDeadline()
    {
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(o => o.Queue("hangs").Poll(TimeSpan.FromSeconds(5)).Handle(HangsWhenWidthIs(1, stopped)));

        var hung = await CreateAsync("hangs", new ResizeJob("slow.png", 1), timeouts: new ExecutionTimeouts(ExecutionMs: 2_000, HeartbeatMs: 900));
        var result = await ResultAsync(hung.Id);

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.True(await stopped.Task.WaitAsync(Patience));
        Assert.Equal(ExecutionStatus.Succeeded, (await ResultAsync((await CreateAsync("hangs", new ResizeJob("next.png", 2))).Id)).Status);
    }

    [Fact]
    public async Task Handle_HandlerHangsWithALongLease_IsStoppedAtTheDeadlineNotAtTheNextHeartbeat()
    {
        // A 120 s lease puts the first heartbeat 40 s after the claim; the deadline is 5 s after
        // creation (room for a slow first claim on a busy machine). Only the deadline itself can
        // stop the handler within the wait below.
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(o => o.Queue("deadlines").Poll(TimeSpan.FromSeconds(5)).Handle(HangsWhenWidthIs(1, stopped)));

        var hung = await CreateAsync("deadlines", new ResizeJob("slow.png", 1), timeouts: new ExecutionTimeouts(ExecutionMs: 5_000, HeartbeatMs: 120_000));

        Assert.Equal(hung.CreatedAt.AddMilliseconds(5_000), hung.DeadlineAt);
        Assert.Equal(5_000, hung.Timeouts?.ExecutionMs);
        Assert.True(await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ExecutionStatus.TimedOut, (await ResultAsync(hung.Id)).Status);
    }

    [Fact]
    public async Task Handle_ExecutionCancelled_StopsTheHandler()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAsync(o => o.Queue("cancels").Poll(TimeSpan.FromSeconds(5))
            .Handle<ResizeJob>(async (job, ctx, ct) =>
            {
                running.TrySetResult();
                using var registration = ct.Register(stopped.SetResult);
                await Task.Delay(Timeout.Infinite, ct);
                return JobResult.Complete();
            }));

        var created = await CreateAsync("cancels", new ResizeJob("c.png", 1), timeouts: new ExecutionTimeouts(HeartbeatMs: 900));
        await running.Task.WaitAsync(Patience);
        await _client.CancelExecutionAsync(created.Id, "user");

        await stopped.Task.WaitAsync(Patience);
        Assert.Equal(ExecutionStatus.Cancelled, (await _client.GetExecutionAsync(created.Id)).Status);
    }

    [Fact]
    public async Task RequireApproval_Undecided_SuspendsThenRedeliversWithTheDecision()
    {
        var runs = 0;
        await StartAsync(o => o.Queue("refunds").Poll(TimeSpan.FromSeconds(5))
            .Handle<ResizeJob>(async (job, ctx, ct) =>
            {
                Interlocked.Increment(ref runs);
                var approved = await ctx.RequireApprovalAsync("refund-1", "refund", new { amount = 30 }, cancellationToken: ct);
                return JobResult.Complete(ctx.ToJson(new { approved }));
            }));

        var created = await CreateAsync("refunds", new ResizeJob("r.png", 1));
        using var timeout = new CancellationTokenSource(Patience);
        while ((await _client.GetExecutionAsync(created.Id, timeout.Token)).Status != ExecutionStatus.Waiting)
        {
            await Task.Delay(50, timeout.Token);
        }
        await _client.DecideApprovalAsync(created.Id, "refund-1", approved: true, "ok");
        var done = await ResultAsync(created.Id);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.True(done.Output!.Value.GetProperty("approved").GetBoolean());
        Assert.Equal(2, runs);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task Concurrency_ManyJobs_NeverMoreThanTheLimitAtOnce()
    {
        var (now, peak, count) = (0, 0, 0);
        await StartAsync(o => o.Queue("limited").Poll(TimeSpan.FromSeconds(2)).Concurrency(2)
            .Handle<ResizeJob>(async (job, ctx, ct) =>
            {
                var inside = Interlocked.Increment(ref now);
                InterlockedMax(ref peak, inside);
                await Task.Delay(50, ct);
                Interlocked.Decrement(ref now);
                Interlocked.Increment(ref count);
                return JobResult.Complete();
            }));

        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await CreateAsync("limited", new ResizeJob($"{i}.png", i))).Id);
        }
        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await ResultAsync(id)).Status);
        }

        Assert.Equal(8, count);
        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public async Task Shutdown_HandlerStillRunning_ReleasesTheClaimWithoutUsingAnAttempt()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await StartAsync(o =>
        {
            o.ReleaseMargin = TimeSpan.FromSeconds(1);
            o.Queue("drain").Poll(TimeSpan.FromSeconds(5)).Handle<ResizeJob>(async (job, ctx, ct) =>
            {
                running.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return JobResult.Complete();
            });
        }, shutdownTimeout: TimeSpan.FromSeconds(2));

        var created = await CreateAsync("drain", new ResizeJob("d.png", 1), new RetryPolicy(MaxAttempts: 1));
        await running.Task.WaitAsync(Patience);
        await host.StopAsync();

        var released = await _client.GetExecutionAsync(created.Id);
        Assert.Equal((ExecutionStatus.Queued, 1), (released.Status, released.Attempt));
        Assert.Contains((await _client.GetEventsPageAsync(created.Id)).Items, e => e.Type == "released");
        var again = Assert.Single(await _client.ClaimAsync("drain", "w2", wait: TimeSpan.FromSeconds(5)));
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task ZombieWorker_LeaseExpiredAndReclaimed_IsFencedWithLeaseLost()
    {
        var created = await CreateAsync("zombies", new ResizeJob("z.png", 1), new RetryPolicy(MaxAttempts: 3, InitialDelayMs: 1),
            new ExecutionTimeouts(HeartbeatMs: 500));
        var zombie = Assert.Single(await _client.ClaimAsync("zombies", "zombie", wait: TimeSpan.FromSeconds(5)));
        // The zombie stops heartbeating; its lease lapses and a healthy worker takes attempt 2 and finishes it.
        await StartAsync(o => o.Queue("zombies").Poll(TimeSpan.FromSeconds(5)).Handle<ResizeJob>(async (job, ctx, ct) =>
        {
            await Task.Yield();
            return JobResult.Complete(ctx.ToJson(new { by = "healthy", attempt = ctx.Attempt }));
        }));
        var done = await ResultAsync(created.Id);

        var e = await Assert.ThrowsAsync<LeveeApiException>(() =>
            _client.CompleteAsync(created.Id, zombie.LeaseId, JsonSerializer.SerializeToElement(new { by = "zombie" })));

        Assert.Equal(("terminal_state", System.Net.HttpStatusCode.Conflict), (e.Code, e.Status));
        Assert.Equal("healthy", done.Output!.Value.GetProperty("by").GetString());
        Assert.Equal(2, done.Attempt);
        var heartbeat = await Assert.ThrowsAsync<LeveeApiException>(() => _client.HeartbeatAsync(created.Id, zombie.LeaseId));
        Assert.Equal("lease_lost", heartbeat.Code);
    }

    [Fact]
    public async Task ZombieWorker_WritesWhileTheNewAttemptRuns_AreLeaseLost()
    {
        var created = await CreateAsync("zombies2", new ResizeJob("z.png", 1), new RetryPolicy(MaxAttempts: 3, InitialDelayMs: 1),
            new ExecutionTimeouts(HeartbeatMs: 500));
        var zombie = Assert.Single(await _client.ClaimAsync("zombies2", "zombie", wait: TimeSpan.FromSeconds(5)));
        using var timeout = new CancellationTokenSource(Patience);
        IReadOnlyList<Claim> fresh = [];
        while (fresh.Count == 0)
        {
            fresh = await _client.ClaimAsync("zombies2", "healthy", wait: TimeSpan.FromSeconds(2), cancellationToken: timeout.Token);
        }

        var e = await Assert.ThrowsAsync<LeveeApiException>(() => _client.CompleteAsync(created.Id, zombie.LeaseId));

        Assert.Equal(("lease_lost", System.Net.HttpStatusCode.Conflict, "running"), (e.Code, e.Status, e.CurrentStatus));
        Assert.Equal(2, fresh[0].Attempt);
        Assert.Equal(ExecutionStatus.Succeeded, (await _client.CompleteAsync(created.Id, fresh[0].LeaseId)).Status);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
