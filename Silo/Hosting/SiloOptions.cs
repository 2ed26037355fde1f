namespace Levee.Silo.Hosting;

/// <summary>The <c>Levee</c> configuration section's top level.</summary>
public sealed class SiloOptions
{
    /// <summary>The default listen address when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>This silo's name (default: machine name and process id).</summary>
    public string? Name { get; set; }
}
