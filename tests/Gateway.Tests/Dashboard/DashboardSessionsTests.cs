using Levee.Gateway.Dashboard;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>The session store on its own, with a clock the test moves.</summary>
public sealed class DashboardSessionsTests
{
    private readonly ManualClock _clock = new();
    private readonly DashboardSessions _sessions;

    public DashboardSessionsTests() => _sessions = new DashboardSessions(Options.Create(new DashboardOptions { SessionMinutes = 5 }), _clock);

    [Fact]
    public void Find_WithinTheLifetime_IsTheKeyHash()
    {
        var (token, expiresAt) = _sessions.Create("HASH");
        _clock.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal("HASH", _sessions.Find(token));
        Assert.Equal(_clock.Start + TimeSpan.FromMinutes(5), expiresAt);
    }

    [Fact]
    public void Find_Expired_IsNull()
    {
        var (token, _) = _sessions.Create("HASH");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(_sessions.Find(token));
    }

    [Fact]
    public void Find_AfterEnd_IsNull()
    {
        var (token, _) = _sessions.Create("HASH");
        _sessions.End(token);

        Assert.Null(_sessions.Find(token));
    }

    [Fact]
    public void Create_EveryTokenIsNew()
    {
        var first = _sessions.Create("HASH").Token;
        var second = _sessions.Create("HASH").Token;

        Assert.NotEqual(first, second);
        Assert.Null(_sessions.Find(first + "x"));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
