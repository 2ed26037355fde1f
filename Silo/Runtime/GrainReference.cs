using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Levee.Runtime;

namespace Levee.Silo.Runtime;

/// <summary>
/// The proxy behind <see cref="IGrainFactory.GetGrain{TGrain}"/> (what Orleans generates at build
/// time): every interface call becomes a turn on the grain's activation.
/// </summary>
/// <remarks>
/// <see cref="DispatchProxy.Create{T, TProxy}"/> builds each instance through reflection, which
/// kept re-compiling an invoke stub on every call (13 % of the silo's CPU under load). So one
/// prototype is created per interface and cloned per reference, and each method is dispatched
/// through a delegate compiled once.
/// </remarks>
public class GrainReference : DispatchProxy
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<GrainRuntime, GrainId, object?[]?, object>> Invokers = new();
    private static readonly MethodInfo InvokeTyped = typeof(GrainReference).GetMethod(nameof(InvokeAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private GrainRuntime? _runtime;
    private GrainId _id;

    /// <summary>A copy of this prototype addressing <paramref name="id"/>.</summary>
    internal GrainReference CloneFor(GrainRuntime runtime, GrainId id)
    {
        var clone = (GrainReference)MemberwiseClone();
        (clone._runtime, clone._id) = (runtime, id);
        return clone;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Invokers.GetOrAdd(targetMethod, Compile)(_runtime!, _id, args);
    }

    private static Func<GrainRuntime, GrainId, object?[]?, object> Compile(MethodInfo method)
    {
        if (!method.ReturnType.IsGenericType || method.ReturnType.GetGenericTypeDefinition() != typeof(Task<>))
        {
            throw new NotSupportedException($"Grain method {method.Name} must return Task<T>.");
        }
        var resultType = method.ReturnType.GetGenericArguments()[0];
        // (grain, args) => ((TGrain)grain).Method((A0)args[0], ...)
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method,
            method.GetParameters().Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType)));
        var callType = typeof(Func<,,>).MakeGenericType(typeof(object), typeof(object?[]), method.ReturnType);
        var callDelegate = Expression.Lambda(callType, call, grain, args).Compile();
        // (runtime, id, args) => (object)InvokeAsync<T>(runtime, id, callDelegate, args)
        var runtime = Expression.Parameter(typeof(GrainRuntime), "runtime");
        var id = Expression.Parameter(typeof(GrainId), "id");
        var dispatch = Expression.Call(InvokeTyped.MakeGenericMethod(resultType), runtime, id, Expression.Constant(callDelegate), args);
        return Expression.Lambda<Func<GrainRuntime, GrainId, object?[]?, object>>(Expression.Convert(dispatch, typeof(object)), runtime, id, args).Compile();
    }

    private static Task<T> InvokeAsync<T>(GrainRuntime runtime, GrainId id, Func<object, object?[]?, Task<T>> call, object?[]? args) =>
        runtime.InvokeAsync(id, grain => call(grain, args));
}
