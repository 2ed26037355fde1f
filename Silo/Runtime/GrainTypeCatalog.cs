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
            _types[contract] = (GrainIds.TypeNameOf(contract), implementation);
        }
    }

    public (string Name, Type Implementation) Get(Type contract) =>
        _types.TryGetValue(contract, out var entry)
            ? entry
            : throw new InvalidOperationException($"No grain implements {contract.Name}.");
}
