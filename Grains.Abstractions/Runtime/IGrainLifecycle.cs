namespace Levee.Runtime;

/// <summary>Implemented by grains that load state when activated (Orleans: <c>OnActivateAsync</c>).</summary>
public interface IGrainLifecycle
{
    /// <summary>Runs once per activation, before its first call, inside the activation's turn.</summary>
    Task OnActivateAsync(CancellationToken cancellationToken);
}
