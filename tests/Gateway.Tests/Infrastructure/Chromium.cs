namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// The system's Chromium, which the browser tests drive through Playwright's <c>ExecutablePath</c>
/// (Playwright cannot download its own browser here): <c>LEVEE_TEST_CHROMIUM</c>, else Debian's
/// <c>/usr/bin/chromium</c>.
/// </summary>
public static class Chromium
{
    /// <summary>The executable to launch.</summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("LEVEE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>True when it is there.</summary>
    public static bool Installed => File.Exists(Path);

    /// <summary>True under CI (<c>CI=true</c>), where a browser test that cannot run must fail, not skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A fact that drives Chromium: reported as skipped, saying how to install it, where it is missing
/// on a developer's machine. Under <c>CI=true</c> it always runs, so a missing browser fails the
/// run instead of passing it unchecked (<c>.ci/run</c> installs it).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.Installed && !Chromium.InCi)
        {
            Skip = $"Chromium is not at {Chromium.Path}: install it (apt-get install -y chromium) or set LEVEE_TEST_CHROMIUM.";
        }
    }
}
