using System.Globalization;

namespace Levee.Load;

/// <summary>Command-line options for one run of the load generator.</summary>
internal sealed record LoadOptions
{
    /// <summary>Where the silo writes its development tenant key when started from the current folder.</summary>
    public const string DevKeyPath = "data/dev-tenant.key";

    private const int DefaultCount = 20_000;

    public required string Scenario { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:5080/");
    public string? Key { get; init; }
    public int Concurrency { get; init; } = 64;
    public int Count { get; init; } = DefaultCount;

    /// <summary>When set, the measured phase runs for this long instead of for <see cref="Count"/> units.</summary>
    public TimeSpan? Duration { get; init; }

    public int Warmup { get; init; }
    public string? JsonPath { get; init; }

    public static string Usage => """
        Usage: Levee.Load <lifecycle|noop|compare> [options]

          --url <url>            silo base address (default http://127.0.0.1:5080)
          --key <bearer>         tenant API key (default: contents of ./data/dev-tenant.key)
          --concurrency <n>      concurrent workers and connections (default 64)
          --count <n>            executions (lifecycle) or requests (noop) to measure (default 20000)
          --duration <seconds>   measure for a fixed time instead of --count
          --warmup <n>           units run before measuring, excluded from stats (default 2% of count)
          --json <path>          also write the results as JSON
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("A scenario is required.");
        }
        var scenario = args[0];
        if (scenario is not ("lifecycle" or "noop" or "compare"))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'.");
        }
        var options = new LoadOptions { Scenario = scenario };
        int? warmup = null;
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--url": options = options with { Url = ParseUrl(value) }; break;
                case "--key": options = options with { Key = value }; break;
                case "--concurrency": options = options with { Concurrency = ParseInt(name, value, min: 1) }; break;
                case "--count": options = options with { Count = ParseInt(name, value, min: 1) }; break;
                case "--duration": options = options with { Duration = TimeSpan.FromSeconds(ParseInt(name, value, min: 1)) }; break;
                case "--warmup": warmup = ParseInt(name, value, min: 0); break;
                case "--json": options = options with { JsonPath = value }; break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        return options with
        {
            // Warm-up lets connections open, the JIT tier up and the silo's caches fill, so the
            // measured numbers describe steady state rather than start-up.
            Warmup = warmup ?? options.Count / 50,
            Key = options.Key ?? ReadDevKey(),
        };
    }

    private static Uri ParseUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--url '{value}' is not an http(s) address.");
        }
        // A trailing slash makes relative paths resolve under the base instead of replacing its last segment.
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private static int ParseInt(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw new ArgumentException($"{name} must be an integer of at least {min}.");

    private static string? ReadDevKey() =>
        File.Exists(DevKeyPath) ? File.ReadAllText(DevKeyPath).Trim() is { Length: > 0 } key ? key : null : null;
}
