namespace Levee.Silo.Runtime;

/// <summary>Activation lifecycle settings (<c>Levee:Runtime</c>).</summary>
public sealed class RuntimeOptions
{
    /// <summary>An activation idle this long is collected.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the collector looks.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Live activations above which the least recently used idle ones are collected early.</summary>
    public int MaxActivations { get; set; } = 20_000;
}
