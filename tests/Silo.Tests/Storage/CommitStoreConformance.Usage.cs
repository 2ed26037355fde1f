using System.Text;
using Levee.Executions;
using Levee.Grains.Storage;

namespace Levee.Silo.Tests.Storage;

/// <summary>Tenant usage and storage quotas: what commits add and remove, and the quota check made in the commit's own transaction.</summary>
public abstract partial class CommitStoreConformance
{
    /// <summary>Payload bytes of one event written by <see cref="Commit"/>: <c>{"e":"created"}</c>.</summary>
    private static readonly long CreatedBytes = Encoding.UTF8.GetByteCount("{\"e\":\"created\"}");

    /// <summary>An execution's first commit with its index row, counted against tenant <c>t</c>.</summary>
    private static GrainCommit Create(string id, QuotaCheck? quota = null) =>
        Commit(Exe($"t/p/{id}"), 0, 0, $"state-{id}", "created") with
        {
            Tenant = "t", Quota = quota, ExecutionIndex = Row(id, ExecutionStatus.Queued, Now, Now),
        };

    private Task<TenantUsage> UsageAsync(string tenant = "t") => Store.Usage.ReadAsync(tenant, CancellationToken.None);

    [ConformanceFact]
    public async Task Usage_OfANewTenant_IsZero() => Assert.Equal(default, await UsageAsync("nobody"));

    [ConformanceFact]
    public async Task Usage_CountsEachCreatedExecutionAndEveryEventByte_SpawnsIncluded()
    {
        await CommitAsync(Create("a"));
        await CommitAsync(Commit(Exe("t/p/a"), 1, 1, "running", "status") with { Tenant = "t" });
        await CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 0, 0, "batch", "created") with
        {
            Tenant = "t",
            Spawns = [Create("b.0"), Create("b.1")],
        });

        var statusBytes = Encoding.UTF8.GetByteCount("{\"e\":\"status\"}");
        Assert.Equal(new TenantUsage(3, 4 * CreatedBytes + statusBytes), await UsageAsync());
    }

    [ConformanceFact]
    public async Task Usage_CommitsWithoutATenant_AreNotCounted_AndTenantsAreApart()
    {
        await CommitAsync(Create("a"));
        await CommitAsync(Commit(GrainId.Create("idem", "t/p/key"), 0, 0, "bound", "x"));
        await CommitAsync(Commit(Exe("u/p/z"), 0, 0, "z", "created") with
        {
            Tenant = "u", ExecutionIndex = Row("z", ExecutionStatus.Queued, Now, Now) with { Tenant = "u" },
        });

        Assert.Equal(new TenantUsage(1, CreatedBytes), await UsageAsync());
        Assert.Equal(new TenantUsage(1, CreatedBytes), await UsageAsync("u"));
        Assert.Equal(["t", "u"], (await Store.Usage.ReadAllAsync(CancellationToken.None)).Keys.Order(StringComparer.Ordinal));
    }

    [ConformanceFact]
    public async Task Usage_DeletesAndPurges_GiveBackWhatTheyRemove()
    {
        await CommitAsync(Create("a"));
        await CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 0, 0, "batch", "created") with { Tenant = "t", Spawns = [Create("b.0"), Create("b.1")] });

        await CommitAsync(Commit(Exe("t/p/a"), 1, 1, "") with
        {
            Tenant = "t", DeleteState = true, Events = [], RemoveIndex = new ExecutionIndexKey("t", "p", "a"),
        });
        await CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 1, 1, "deleting") with
        {
            Tenant = "t", Events = [],
            Purges = [new GrainPurge(Exe("t/p/b.0"), new ExecutionIndexKey("t", "p", "b.0")), new GrainPurge(Exe("t/p/b.1"), new ExecutionIndexKey("t", "p", "b.1"))],
        });
        Assert.Equal(new TenantUsage(0, CreatedBytes), await UsageAsync());

        await CommitAsync(Commit(GrainId.Create("bat", "t/p/b"), 2, 1, "") with { Tenant = "t", DeleteState = true, Events = [] });
        Assert.Equal(new TenantUsage(0, 0), await UsageAsync());
    }

    [ConformanceFact]
    public async Task Quota_ACreateThatWouldCrossMaxExecutions_IsRefusedAndWritesNothing()
    {
        var quota = new QuotaCheck(MaxExecutions: 2, MaxEventBytes: null);
        await CommitAsync(Create("a", quota));
        await CommitAsync(Create("b", quota));

        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() => CommitAsync(Create("c", quota)));

        Assert.Equal(("t", QuotaResource.Executions, 2L, 2L, 1L), (refused.Tenant, refused.Resource, refused.Limit, refused.Usage, refused.Requested));
        Assert.Null(await Store.Commits.ReadAsync(Exe("t/p/c"), CancellationToken.None));
        Assert.False(await Store.Index.ExistsAsync("t", "p", "c", CancellationToken.None));
        Assert.Equal(new TenantUsage(2, 2 * CreatedBytes), await UsageAsync());
        // A commit without a quota (a worker finishing what was admitted) is never refused.
        Assert.Equal(CommitStatus.Committed, (await CommitAsync(Commit(Exe("t/p/a"), 1, 1, "done", "status") with { Tenant = "t" })).Status);
    }

    [ConformanceFact]
    public async Task Quota_AReserve_IsCheckedButNotCounted()
    {
        await CommitAsync(Create("a"));

        await Assert.ThrowsAsync<QuotaExceededException>(() =>
            CommitAsync(Commit(GrainId.Create("bat", "t/p/big"), 0, 0, "batch", "created") with { Tenant = "t", Quota = new QuotaCheck(10, null, 10) }));
        await CommitAsync(Commit(GrainId.Create("bat", "t/p/fits"), 0, 0, "batch", "created") with { Tenant = "t", Quota = new QuotaCheck(10, null, 9) });

        Assert.Null(await Store.Commits.ReadAsync(GrainId.Create("bat", "t/p/big"), CancellationToken.None));
        Assert.Equal(new TenantUsage(1, 2 * CreatedBytes), await UsageAsync());
    }

    [ConformanceFact]
    public async Task Quota_MaxEventBytes_RefusesTheCommitThatWouldCrossIt()
    {
        var quota = new QuotaCheck(null, MaxEventBytes: 2 * CreatedBytes);
        await CommitAsync(Create("a", quota));
        await CommitAsync(Commit(Exe("t/p/a"), 1, 1, "out", "created") with { Tenant = "t", Quota = quota });

        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() =>
            CommitAsync(Commit(Exe("t/p/a"), 2, 2, "more", "x") with { Tenant = "t", Quota = quota }));

        Assert.Equal((QuotaResource.EventBytes, 2 * CreatedBytes), (refused.Resource, refused.Usage));
        Assert.Equal(2, (await Store.Commits.ReadAsync(Exe("t/p/a"), CancellationToken.None))!.Version);
        await AssertLogMatchesStateAsync(Exe("t/p/a"));
    }

    [ConformanceFact]
    public async Task Quota_ManyCreatesAtOnce_AdmitExactlyTheLimit()
    {
        var quota = new QuotaCheck(MaxExecutions: 10, MaxEventBytes: null);

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            try
            {
                await CommitAsync(Create($"many{i}", quota));
                return true;
            }
            catch (QuotaExceededException)
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(admitted => admitted));
        Assert.Equal(10, (await UsageAsync()).Executions);
    }

    [ConformanceFact]
    public async Task Usage_IsDurable()
    {
        await CommitAsync(Create("a", new QuotaCheck(1, null)));

        Store = await Store.ReopenAsync();

        Assert.Equal(new TenantUsage(1, CreatedBytes), await UsageAsync());
        await Assert.ThrowsAsync<QuotaExceededException>(() => CommitAsync(Create("b", new QuotaCheck(1, null))));
    }
}
