namespace Levee.Silo.Hosting;

/// <summary>The <c>Levee</c> configuration section's top level.</summary>
public sealed class SiloOptions
{
    /// <summary>The default listen address when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>This silo's name in membership (<c>Levee:SiloName</c>; default: Orleans' own, from the machine name).</summary>
    public string? SiloName { get; set; }

    /// <summary>The admin bearer key (<c>Levee:AdminKey</c>); when unset, a development key is generated and kept under <c>./data</c>.</summary>
    public string? AdminKey { get; set; }
}
