using System.Reflection;

namespace Levee.Runtime;

/// <summary>Builds the <see cref="GrainId"/> (and so the stream id) of a grain from its interface.</summary>
public static class GrainIds
{
    /// <summary>The id of the <typeparamref name="TGrain"/> with the given key.</summary>
    public static GrainId For<TGrain>(string key) where TGrain : IGrainWithStringKey => new(TypeName<TGrain>.Value, key);

    /// <summary>The stored type name of a grain interface (its <see cref="GrainTypeAttribute"/>).</summary>
    public static string TypeNameOf(Type grainInterface) =>
        grainInterface.GetCustomAttribute<GrainTypeAttribute>()?.Name
        ?? throw new InvalidOperationException($"{grainInterface.Name} needs a [GrainType] attribute.");

    private static class TypeName<TGrain>
    {
        public static readonly string Value = TypeNameOf(typeof(TGrain));
    }
}
