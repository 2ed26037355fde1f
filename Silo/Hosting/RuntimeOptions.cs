namespace Levee.Silo.Hosting;

/// <summary>
/// <c>Levee:Runtime</c>: the activation lifecycle, mapped onto Orleans' grain collection. Orleans
/// keeps an idle grain for 15 minutes by default; Levee's grains reload their state in one read,
/// so they are collected much sooner and memory stays flat however many were touched.
/// </summary>
public sealed class RuntimeOptions
{
    /// <summary>An idle activation is collected within this (Orleans: <c>CollectionAge</c> + <c>CollectionQuantum</c>; default 30 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often idle activations are looked for (Orleans: <c>CollectionQuantum</c>; default 5 s).</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Live activations on this silo above which those idle for one collection interval are
    /// collected early (default 20,000). Orleans also sheds activations when the process nears
    /// the memory it may use.
    /// </summary>
    public int MaxActivations { get; set; } = 20_000;

    /// <summary>
    /// Grain addresses this silo caches (Orleans: <c>GrainDirectoryOptions.CacheSize</c>; default
    /// 100,000, Orleans' own is 1,000,000). A miss costs one directory lookup.
    /// </summary>
    public int DirectoryCacheSize { get; set; } = 100_000;
}
