using System.Reflection;
using Levee.Runtime;

namespace Levee.Silo.Runtime;

/// <summary>Grain interface -> (stored type name, implementation class).</summary>
internal sealed class GrainTypeCatalog
{
    private readonly Dictionary<Type, (string Name, Type Implementation)> _types = [];

    public GrainTypeCatalog(IReadOnlyDictionary<Type, Type> implementations)
    {
        foreach (var (contract, implementation) in implementations)
        {
            var name = contract.GetCustomAttribute<GrainTypeAttribute>()?.Name
                ?? throw new InvalidOperationException($"{contract.Name} needs a [GrainType] attribute.");
            _types[contract] = (name, implementation);
        }
    }

    public (string Name, Type Implementation) Get(Type contract) =>
        _types.TryGetValue(contract, out var entry)
            ? entry
            : throw new InvalidOperationException($"No grain implements {contract.Name}.");
}
