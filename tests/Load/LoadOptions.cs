using System.Globalization;

namespace Levee.Load;

/// <summary>Command-line options for one run of the load generator.</summary>
internal sealed record LoadOptions
{
    /// <summary>Where the silo writes its development tenant key when started from the current folder.</summary>
    public const string DevKeyPath = "data/dev-tenant.key";

    private const int DefaultCount = 20_000;

    /// <summary>Items in the batch of the <c>batch</c> scenario unless <c>--items</c> says otherwise.</summary>
    private const int DefaultItems = 100_000;

    /// <summary>Most executions per claim when draining a batch unless <c>--batch</c> says otherwise.</summary>
    private const int DefaultDrainBatch = 50;

    /// <summary>Chunks the <c>sse</c> scenario appends unless <c>--count</c> says otherwise.</summary>
    private const int DefaultSseCount = 4_000;

    /// <summary>Chunks/s the <c>sse</c> scenario's writer offers unless <c>--rate</c> says otherwise.</summary>
    public const int DefaultSseRate = 200;

    /// <summary>The silo's limit on executions per claim.</summary>
    private const int MaxBatch = 100;

    public required string Scenario { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:5080/");
    public string? Key { get; init; }
    public int Concurrency { get; init; } = 64;
    /// <summary>Units to measure: executions, requests, chunks (<c>sse</c>), or the items of the batch (<c>batch</c>, from <c>--items</c>).</summary>
    public int Count { get; init; } = DefaultCount;

    /// <summary>When set, the measured phase runs for this long instead of for <see cref="Count"/> units.</summary>
    public TimeSpan? Duration { get; init; }

    public int Warmup { get; init; }
    public string? JsonPath { get; init; }

    /// <summary>Tasks creating executions (<c>worker</c>, <c>approval</c>).</summary>
    public int Producers { get; init; } = 4;

    /// <summary>Tasks claiming and completing executions (<c>worker</c>, <c>approval</c>).</summary>
    public int Workers { get; init; } = 16;

    /// <summary>Tasks deciding approvals (<c>approval</c>).</summary>
    public int Approvers { get; init; } = 4;

    /// <summary>Most executions per claim.</summary>
    public int Batch { get; init; } = 10;

    /// <summary>
    /// When set, the producers together offer this many creates per second instead of as many as they can;
    /// for <c>sse</c>, the chunks the writer appends per second (default <see cref="DefaultSseRate"/>).
    /// </summary>
    public int? Rate { get; init; }

    /// <summary>Whether workers also claim and complete every child of the batch (<c>batch</c>).</summary>
    public bool Drain { get; init; }

    /// <summary>When set, the batch is created with <c>ceilings.maxConcurrency</c> (<c>batch</c>).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>A local silo process whose resident memory is sampled during the run (<c>batch</c>).</summary>
    public int? SiloPid { get; init; }

    /// <summary>Event-stream connections reading the execution's events (<c>sse</c>).</summary>
    public int Subscribers { get; init; } = 16;

    /// <summary>True for the scenarios where producers and workers meet through a queue.</summary>
    public bool IsQueueScenario => Scenario is "worker" or "worker-host" or "approval";

    /// <summary>Client loops running at once, each holding one connection: the connection-pool size.</summary>
    public int Connections => Scenario switch
    {
        "worker" => Producers + Workers,
        "worker-host" => Producers + 1,
        "approval" => Producers + Workers + Approvers,
        "batch" => Workers + 1,
        "sse" => Subscribers + 1,
        _ => Concurrency,
    };

    public static string Usage => """
        Usage: Levee.Load <lifecycle|noop|compare|worker|worker-host|approval|batch|sse> [options]

          --url <url>            silo base address (default http://127.0.0.1:5080)
          --key <bearer>         tenant API key (default: contents of ./data/dev-tenant.key)
          --concurrency <n>      concurrent workers and connections (default 64; lifecycle, noop, compare)
          --count <n>            executions (lifecycle, worker, approval), requests (noop) or chunks (sse) to measure
                                 (default 20000; sse: 4000)
          --duration <seconds>   measure for a fixed time instead of --count (lifecycle, noop, compare)
          --warmup <n>           units run before measuring, excluded from stats (default 2% of count)
          --json <path>          also write the results as JSON

        worker and approval (producers and workers meeting through a queue of their own):
          --producers <n>        tasks creating executions (default 4)
          --workers <n>          tasks claiming and completing them (default 16)
          --batch <n>            most executions per claim, 1-100 (default 10)
          --rate <n>             offered creates/s in total (default: as fast as the producers go)
          --approvers <n>        tasks deciding approvals (approval; default 4)

        worker-host (as worker, but the executions are run by Levee.Client's worker host, AddLeveeWorker,
        with a handler that completes at once; compare it with worker in the same run):
          --workers <n>          the host's concurrency: jobs it runs at once (default 16)

        batch (create a batch, stream its items as NDJSON in one request; --warmup counts items):
          --items <n>            items in the batch (default 100000)
          --drain                also claim and complete every child, following the batch's event stream
          --workers <n>          tasks draining it (default 16)
          --batch <n>            most executions per claim, 1-100 (default 50)
          --silo-pid <pid>       sample this local process's RSS every 200 ms (Linux /proc)
          --max-concurrency <n>  create the batch with ceilings.maxConcurrency n (compare the drain with and without)

        sse (one execution, S event streams, one writer appending output chunks; --count/--warmup count chunks):
          --subscribers <n>      event-stream connections following the execution (default 16)
          --rate <n>             chunks appended per second (default 200)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("A scenario is required.");
        }
        var scenario = args[0];
        if (scenario is not ("lifecycle" or "noop" or "compare" or "worker" or "worker-host" or "approval" or "batch" or "sse"))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'.");
        }
        var options = new LoadOptions { Scenario = scenario };
        var isBatch = scenario == "batch";
        var isSse = scenario == "sse";
        int? warmup = null, batch = null, items = null, count = null;
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (name is ("--items" or "--drain" or "--silo-pid" or "--max-concurrency") && !isBatch)
            {
                throw new ArgumentException($"{name} is only for the 'batch' scenario.");
            }
            if (name is ("--count" or "--duration") && isBatch)
            {
                throw new ArgumentException($"{name} is not supported by 'batch'; use --items.");
            }
            if (name == "--subscribers" && !isSse)
            {
                throw new ArgumentException($"{name} is only for the 'sse' scenario.");
            }
            if (name == "--duration" && isSse)
            {
                throw new ArgumentException($"{name} is not supported by 'sse'; use --count.");
            }
            if (name == "--drain")
            {
                // The one flag without a value.
                options = options with { Drain = true };
                continue;
            }
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--url": options = options with { Url = ParseUrl(value) }; break;
                case "--key": options = options with { Key = value }; break;
                case "--concurrency": options = options with { Concurrency = ParseInt(name, value, min: 1) }; break;
                case "--count": count = ParseInt(name, value, min: 1); break;
                case "--duration": options = options with { Duration = TimeSpan.FromSeconds(ParseInt(name, value, min: 1)) }; break;
                case "--warmup": warmup = ParseInt(name, value, min: 0); break;
                case "--json": options = options with { JsonPath = value }; break;
                case "--producers": options = options with { Producers = ParseInt(name, value, min: 1) }; break;
                case "--workers": options = options with { Workers = ParseInt(name, value, min: 1) }; break;
                case "--approvers": options = options with { Approvers = ParseInt(name, value, min: 1) }; break;
                case "--batch": batch = ParseInt(name, value, min: 1, max: MaxBatch); break;
                case "--rate": options = options with { Rate = ParseInt(name, value, min: 1) }; break;
                case "--items": items = ParseInt(name, value, min: 1); break;
                case "--silo-pid": options = options with { SiloPid = ParsePid(value) }; break;
                case "--max-concurrency": options = options with { MaxConcurrency = ParseInt(name, value, min: 1) }; break;
                case "--subscribers": options = options with { Subscribers = ParseInt(name, value, min: 1) }; break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if (options.IsQueueScenario && options.Duration is not null)
        {
            // These run until every created execution is done, so they need a count.
            throw new ArgumentException($"--duration is not supported by '{scenario}'; use --count.");
        }
        options = options with { Count = isBatch ? items ?? DefaultItems : count ?? (isSse ? DefaultSseCount : DefaultCount) };
        return options with
        {
            Batch = batch ?? (isBatch ? DefaultDrainBatch : options.Batch),
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

    private static int ParseInt(string name, string value, int min, int max = int.MaxValue) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new ArgumentException(max == int.MaxValue
                ? $"{name} must be an integer of at least {min}."
                : $"{name} must be an integer from {min} to {max}.");

    private static int ParsePid(string value)
    {
        var pid = ParseInt("--silo-pid", value, min: 1);
        return RssSampler.Read(pid) is not null
            ? pid : throw new ArgumentException($"--silo-pid {pid}: no resident memory to read in /proc/{pid}/status (not a local, running process?).");
    }

    private static string? ReadDevKey() =>
        File.Exists(DevKeyPath) ? File.ReadAllText(DevKeyPath).Trim() is { Length: > 0 } key ? key : null : null;
}
