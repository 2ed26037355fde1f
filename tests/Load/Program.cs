using Levee.Load;
using Levee.Load.Scenarios;

// Exit codes: 0 = ran with at most 1 % errors, 1 = more errors than that, 2 = could not run.
const double MaxErrorRate = 0.01;

LoadOptions options;
try
{
    if (args is ["-h" or "--help" or "help", ..])
    {
        Console.WriteLine(LoadOptions.Usage);
        return 0;
    }
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
if (options.Scenario != "noop" && options.Key is null)
{
    Console.Error.WriteLine($"No API key: pass --key, or run from the silo's folder so {LoadOptions.DevKeyPath} exists.");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops handing out work and reports what was measured; a second one kills.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

using var client = LoadHttpClient.Create(options);
try
{
    // Fail fast with a clear message instead of a run made of connection errors.
    using var health = await client.GetAsync(new Uri(options.Url, "healthz"));
    health.EnsureSuccessStatusCode();
}
catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
{
    Console.Error.WriteLine($"The silo at {options.Url} is not answering /healthz: {ex.Message}");
    return 2;
}

List<ScenarioResult> results = [];
double? ratio = null;
switch (options.Scenario)
{
    case "noop":
        results.Add(await new NoopScenario(client, options).RunAsync(cancel.Token));
        break;
    case "lifecycle":
        results.Add(await new LifecycleScenario(client, options).RunAsync(cancel.Token));
        break;
    case "worker":
        results.Add(await new WorkerScenario(client, options).RunAsync(cancel.Token));
        break;
    case "worker-host":
        results.Add(await new WorkerHostScenario(client, options).RunAsync(cancel.Token));
        break;
    case "approval":
        results.Add(await new ApprovalScenario(client, options).RunAsync(cancel.Token));
        break;
    case "batch":
        results.Add(await new BatchScenario(client, options).RunAsync(cancel.Token));
        break;
    case "sse":
        results.Add(await new SseScenario(client, options).RunAsync(cancel.Token));
        break;
    default:
        var (noop, lifecycle) = await new CompareScenario(client, options).RunAsync(cancel.Token);
        results.AddRange([noop, lifecycle]);
        ratio = CompareScenario.Ratio(noop, lifecycle);
        break;
}

foreach (var result in results)
{
    Report.Print(result, Console.Out);
    Console.WriteLine();
}
if (ratio is not null)
{
    Report.PrintComparison(results[0], results[1], Console.Out);
}
if (options.JsonPath is { } path)
{
    Report.WriteJson(path, options, results, ratio);
}
return results.Any(r => r.ErrorRate > MaxErrorRate) ? 1 : 0;
