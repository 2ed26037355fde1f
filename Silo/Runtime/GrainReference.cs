using System.Collections.Concurrent;
using System.Reflection;
using Levee.Runtime;

namespace Levee.Silo.Runtime;

/// <summary>
/// The proxy behind <see cref="IGrainFactory.GetGrain{TGrain}"/> (what Orleans generates at build
/// time): every interface call becomes a turn on the grain's activation.
/// </summary>
public class GrainReference : DispatchProxy
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<GrainRuntime, GrainId, MethodInfo, object?[]?, object>> Invokers = new();
    private static readonly MethodInfo InvokeTyped = typeof(GrainReference).GetMethod(nameof(Invoke), BindingFlags.NonPublic | BindingFlags.Static)!;

    private GrainRuntime? _runtime;
    private GrainId _id;

    internal void Bind(GrainRuntime runtime, GrainId id) => (_runtime, _id) = (runtime, id);

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var invoker = Invokers.GetOrAdd(targetMethod, static method =>
        {
            if (!method.ReturnType.IsGenericType || method.ReturnType.GetGenericTypeDefinition() != typeof(Task<>))
            {
                throw new NotSupportedException($"Grain method {method.Name} must return Task<T>.");
            }
            return InvokeTyped.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0])
                .CreateDelegate<Func<GrainRuntime, GrainId, MethodInfo, object?[]?, object>>();
        });
        return invoker(_runtime!, _id, targetMethod, args);
    }

    private static object Invoke<T>(GrainRuntime runtime, GrainId id, MethodInfo method, object?[]? args) =>
        runtime.InvokeAsync(id, grain => (Task<T>)method.Invoke(grain, args)!);
}
