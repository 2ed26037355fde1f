namespace Levee.Runtime;

/// <summary>
/// Hands out references to grains. A reference is cheap and never fails: the grain is activated
/// on its first call, in this silo, and collected again after it has been idle.
/// </summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of type <typeparamref name="TGrain"/> with the given key.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
