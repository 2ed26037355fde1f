using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Executions;

namespace Levee.Grains;

/// <summary>The grain classes of this assembly, by interface; the runtime activates these.</summary>
public static class GrainCatalog
{
    /// <summary>Interface -> implementation.</summary>
    public static IReadOnlyDictionary<Type, Type> Implementations { get; } = new Dictionary<Type, Type>
    {
        [typeof(IExecutionGrain)] = typeof(ExecutionGrain),
        [typeof(IBatchGrain)] = typeof(BatchGrain),
    };
}
