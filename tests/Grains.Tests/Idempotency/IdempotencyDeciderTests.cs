using FsCheck;
using FsCheck.Fluent;
using Levee.Errors;
using Levee.Grains.Idempotency;

namespace Levee.Grains.Tests.Idempotency;

public sealed class IdempotencyDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(24);

    private static IdempotencyState Bound(string hash = "H", IdempotencyKind kind = IdempotencyKind.Execution, string id = "e1") =>
        IdempotencyDecider.Fold(null, IdempotencyDecider.Bind(null, "k", kind, hash, id, Now, Ttl).Events)!;

    [Fact]
    public void Bind_UnboundKey_BindsItToTheProposedIdUntilTheTtl()
    {
        var decision = IdempotencyDecider.Bind(null, "k", IdempotencyKind.Execution, "H", "e1", Now, Ttl);

        var state = IdempotencyDecider.Fold(null, decision.Events)!;
        Assert.Equal(new IdempotencyState(IdempotencyKind.Execution, "H", "e1", Now, Now + Ttl), state);
    }

    [Fact]
    public void Bind_SameKindAndHashWithinTheTtl_IsUnchangedAndKeepsTheFirstId()
    {
        var decision = IdempotencyDecider.Bind(Bound(), "k", IdempotencyKind.Execution, "H", "e2-generated-by-the-retry", Now.AddHours(23), Ttl);

        Assert.Empty(decision.Events);
        Assert.Null(decision.Rejection);
    }

    [Theory]
    [InlineData("OTHER", false)]
    [InlineData("H", true)]
    public void Bind_OtherRequestWithinTheTtl_IsMismatchNamingTheHeader(string hash, bool asBatch)
    {
        var kind = asBatch ? IdempotencyKind.Batch : IdempotencyKind.Execution;
        var decision = IdempotencyDecider.Bind(Bound(), "k", kind, hash, "e2", Now.AddMinutes(1), Ttl);

        Assert.Equal(ErrorCodes.IdempotencyKeyMismatch, decision.Rejection?.Code);
        Assert.Equal("Idempotency-Key", decision.Rejection?.Field);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Bind_AfterTheTtl_BindsAgainForTheNewRequest()
    {
        var decision = IdempotencyDecider.Bind(Bound(), "k", IdempotencyKind.Batch, "OTHER", "b1", Now + Ttl, Ttl);

        var state = IdempotencyDecider.Fold(Bound(), decision.Events)!;
        Assert.Equal(("b1", IdempotencyKind.Batch, Now + Ttl + Ttl), (state.ResultId, state.Kind, state.ExpiresAt));
    }

    [Fact]
    public void Expire_LiveBinding_IsUnchanged() => Assert.Empty(IdempotencyDecider.Expire(Bound(), Now + Ttl - TimeSpan.FromTicks(1)).Events);

    [Fact]
    public void Expire_PastItsExpiry_PurgesTheBinding() =>
        Assert.Null(IdempotencyDecider.Fold(Bound(), IdempotencyDecider.Expire(Bound(), Now + Ttl).Events));

    [Fact]
    public void Expire_NothingBound_IsUnchanged() => Assert.Empty(IdempotencyDecider.Expire(null, Now).Events);

    /// <summary>
    /// Any sequence of requests (kinds, hashes, times) and expiry timers: a key is bound to one
    /// request at a time, a request that finds it bound live to another is refused, and the id a
    /// live binding names never changes.
    /// </summary>
    [Fact]
    public void AnySequence_ALiveBindingNeverChangesItsRequestOrId()
    {
        var step = Gen.OneOf(
            from hash in Gen.Elements("A", "B")
            from kind in Gen.Elements(IdempotencyKind.Execution, IdempotencyKind.Batch)
            from minutes in Gen.Choose(0, 60 * 30)
            select (Expire: false, Hash: hash, Kind: kind, Minutes: minutes),
            from minutes in Gen.Choose(0, 60 * 30)
            select (Expire: true, Hash: "", Kind: IdempotencyKind.Execution, Minutes: minutes));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(step.ArrayOf().ToArbitrary(), steps =>
        {
            IdempotencyState? state = null;
            var clock = Now;
            var n = 0;
            foreach (var s in steps)
            {
                clock = clock.AddMinutes(s.Minutes);
                var before = state;
                var decision = s.Expire
                    ? IdempotencyDecider.Expire(state, clock)
                    : IdempotencyDecider.Bind(state, "k", s.Kind, s.Hash, $"id{n++}", clock, Ttl);
                state = IdempotencyDecider.Fold(state, decision.Events);
                if (before is not null && before.IsLive(clock))
                {
                    Assert.Equal(before, state);
                    Assert.Equal(!s.Expire && (before.Kind != s.Kind || before.RequestHash != s.Hash), decision.Rejection is not null);
                }
            }
        }));
    }
}
