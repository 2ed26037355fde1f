namespace Levee.Runtime;

/// <summary>What an activation knows about itself; injected into the grain's constructor.</summary>
public interface IGrainContext
{
    /// <summary>The grain's identity.</summary>
    GrainId Id { get; }
}
