using Levee.Executions;
using Levee.Idempotency;
using Levee.Silo.Storage.Sqlite;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Storage;

public sealed class SqliteIdempotencyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task FindAsync_AfterCreateWithKey_ReturnsTheClaimUntilItExpires()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        var create = new CreateExecution { Id = "idem-1", Task = "t", Idempotency = new IdempotencyRequest("key-1", "HASH") };
        await silo.Grains.GetGrain<IExecutionGrain>("t/p/idem-1").CreateAsync(create);
        var store = silo.Get<IIdempotencyStore>();

        var claim = await store.FindAsync("t", "p", "key-1", DateTimeOffset.UtcNow, default);

        Assert.Equal(("HASH", "idem-1"), (claim?.RequestHash, claim?.ResultId));
        Assert.Null(await store.FindAsync("t", "other", "key-1", DateTimeOffset.UtcNow, default));
        Assert.Null(await store.FindAsync("t", "p", "key-1", DateTimeOffset.UtcNow.AddDays(2), default));
    }

    [Fact]
    public async Task PurgeExpired_RemovesOnlyExpiredClaims()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        await silo.Grains.GetGrain<IExecutionGrain>("t/p/a").CreateAsync(new CreateExecution { Id = "a", Task = "t", Idempotency = new IdempotencyRequest("ka", "H") });
        var purger = silo.Get<SqliteIdempotencyPurger>();

        Assert.Equal(0, purger.PurgeExpired(DateTimeOffset.UtcNow));
        Assert.Equal(1, purger.PurgeExpired(DateTimeOffset.UtcNow.AddDays(2)));
    }

    [Fact]
    public async Task CreateAsync_KeyHeldByAnotherExecution_WritesNothing()
    {
        await using var silo = new TestSilo(_dir.File("levee.db"));
        await silo.Grains.GetGrain<IExecutionGrain>("t/p/first").CreateAsync(new CreateExecution { Id = "first", Task = "t", Idempotency = new IdempotencyRequest("k", "H") });

        var second = await silo.Grains.GetGrain<IExecutionGrain>("t/p/second").CreateAsync(
            new CreateExecution { Id = "second", Task = "t", Idempotency = new IdempotencyRequest("k", "H") });

        Assert.Equal(Levee.Errors.ErrorCodes.IdempotencyKeyMismatch, second.Rejection?.Code);
        Assert.Null(await silo.Storage.ReadAsync(new Levee.Runtime.GrainId("exe", "t/p/second"), default));
    }

    public void Dispose() => _dir.Dispose();
}
