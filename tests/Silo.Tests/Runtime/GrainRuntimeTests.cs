using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Runtime;

public sealed class GrainRuntimeTests : IDisposable
{
    private static readonly Dictionary<Type, Type> Probe = new() { [typeof(IProbeGrain)] = typeof(ProbeGrain) };
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task GetGrain_ConcurrentCallsToOneGrain_RunOneAtATime()
    {
        await using var silo = new TestSilo(_dir.File("db"), Probe);
        var grain = silo.Grains.GetGrain<IProbeGrain>("one");
        var overlaps = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.EnterAsync(2)));
        Assert.All(overlaps, max => Assert.Equal(1, max));
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task GetGrain_CallsToDifferentGrains_RunInParallel()
    {
        await using var silo = new TestSilo(_dir.File("db"), Probe);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => silo.Grains.GetGrain<IProbeGrain>($"k{i}").EnterAsync(1)));
        Assert.Equal(10, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Collect_IdleActivations_AreRemovedAndReactivatedOnNextCall()
    {
        await using var silo = new TestSilo(_dir.File("db"), Probe, o => o.IdleTimeout = TimeSpan.Zero);
        var grain = silo.Grains.GetGrain<IProbeGrain>("idle");
        var before = await grain.ActivationsAsync();
        await Task.Delay(5);

        Assert.Equal(1, silo.Runtime.Collect());
        Assert.Equal(0, silo.Runtime.ActivationCount);

        var after = await grain.ActivationsAsync();
        Assert.True(after > before, "the next call activates the grain again");
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Collect_OverTheCap_RetiresLeastRecentlyUsedFirst()
    {
        await using var silo = new TestSilo(_dir.File("db"), Probe, o => (o.IdleTimeout, o.MaxActivations) = (TimeSpan.FromHours(1), 10));
        for (var i = 0; i < 50; i++)
        {
            await silo.Grains.GetGrain<IProbeGrain>($"k{i}").EnterAsync(0);
        }
        Assert.Equal(50, silo.Runtime.ActivationCount);

        silo.Runtime.Collect();

        Assert.Equal(10, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Collect_ActivationInUse_IsKept()
    {
        await using var silo = new TestSilo(_dir.File("db"), Probe, o => o.IdleTimeout = TimeSpan.Zero);
        var gate = Guid.NewGuid().ToString();
        var busy = silo.Grains.GetGrain<IProbeGrain>("busy").HoldAsync(gate);

        Assert.Equal(0, silo.Runtime.Collect());
        ProbeGrain.Release(gate);
        Assert.True(await busy);
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    public void Dispose() => _dir.Dispose();
}
