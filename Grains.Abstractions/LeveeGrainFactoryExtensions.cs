namespace Levee;

/// <summary>
/// Grain references without reflection on the hot path. Orleans 10.4's
/// <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c> resolves the interface's grain-interface type by
/// reading its attributes on every call (measured: the largest single cost of a Levee request
/// after SQLite); the types are resolved once per interface here and the reference is then made
/// with <c>GetGrain(GrainId, GrainInterfaceType)</c>, which does not reflect.
/// </summary>
public static class LeveeGrainFactoryExtensions
{
    /// <summary>The grain of <typeparamref name="TGrain"/> with the given string key (same result as <c>GetGrain&lt;TGrain&gt;(key)</c>).</summary>
    public static TGrain Grain<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var types = Resolved<TGrain>.Types ??= Resolve<TGrain>(grains, key);
        return (TGrain)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
    }

    /// <summary>The grain with this id through interface <typeparamref name="TGrain"/> (same result as <c>GetGrain&lt;TGrain&gt;(grainId)</c>).</summary>
    public static TGrain Grain<TGrain>(this IGrainFactory grains, GrainId grainId) where TGrain : IAddressable
    {
        var interfaceType = Addressed<TGrain>.InterfaceType ??= ((GrainReference)(object)grains.GetGrain<TGrain>(grainId)).InterfaceType;
        return (TGrain)grains.GetGrain(grainId, interfaceType);
    }

    /// <summary>The grain of <typeparamref name="TGrain"/> that owns <paramref name="key"/> (an execution, batch, queue or idempotency key).</summary>
    public static TGrain Grain<TGrain>(this IGrainFactory grains, ResourceKey key) where TGrain : IGrainWithStringKey =>
        grains.Grain<TGrain>(key.ToString());

    private static (GrainType GrainType, GrainInterfaceType InterfaceType) Resolve<TGrain>(IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var reference = (GrainReference)(object)grains.GetGrain<TGrain>(key);
        return (reference.GrainId.Type, reference.InterfaceType);
    }

    // Interface -> grain type is fixed for a process (one set of grain assemblies), so static caches are safe.
    private static class Resolved<TGrain>
    {
        public static (GrainType GrainType, GrainInterfaceType InterfaceType)? Types;
    }

    private static class Addressed<TGrain>
    {
        public static GrainInterfaceType? InterfaceType;
    }
}
