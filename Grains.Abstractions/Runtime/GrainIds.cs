using System.Reflection;

namespace Levee.Runtime;

/// <summary>Builds the <see cref="GrainId"/> (and so the stream id) of a grain from its interface.</summary>
public static class GrainIds
{
    /// <summary>The id of the <typeparamref name="TGrain"/> with the given key.</summary>
    public static GrainId For<TGrain>(string key) where TGrain : IGrainWithStringKey => new(TypeName<TGrain>.Value, key);

    private static class TypeName<TGrain>
    {
        public static readonly string Value = typeof(TGrain).GetCustomAttribute<GrainTypeAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(TGrain).Name} needs a [GrainType] attribute.");
    }
}
