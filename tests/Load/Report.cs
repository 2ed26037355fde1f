using System.Globalization;
using System.Text.Json;
using Levee.Load.Scenarios;

namespace Levee.Load;

/// <summary>Prints results for people (stdout) and writes them for tools (--json).</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(ScenarioResult result, TextWriter output)
    {
        var seconds = result.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(Invariant,
            $"{result.Scenario}: {result.Units} {result.Unit}{(result.Unit == "requests" ? "" : $" ({result.Requests} requests)")} in {seconds:F2} s, concurrency {result.Concurrency}, warmup {result.Warmup} {result.Unit}{(result.Interrupted ? " (interrupted)" : "")}"));
        if (result.Unit != "requests")
        {
            output.WriteLine(string.Create(Invariant, $"  {result.Unit + "/s",-14}{result.UnitsPerSecond,10:F1}"));
        }
        output.WriteLine(string.Create(Invariant, $"  {"requests/s",-14}{result.RequestsPerSecond,10:F1}"));
        output.WriteLine(string.Create(Invariant, $"  {"latency (ms)",-12}{"count",9}{"p50",9}{"p90",9}{"p99",9}{"max",9}"));
        foreach (var (name, l) in result.Operations)
        {
            output.WriteLine(string.Create(Invariant, $"  {name,-12}{l.Count,9}{l.P50,9:F2}{l.P90,9:F2}{l.P99,9:F2}{l.Max,9:F2}"));
        }
        if (result.Errors == 0)
        {
            output.WriteLine("  errors: none");
            return;
        }
        output.WriteLine(string.Create(Invariant,
            $"  errors: {result.Errors} ({result.ErrorRate:P2} of requests), {result.FailedUnits} {result.Unit} failed"));
        foreach (var (kind, count) in result.ErrorCounts)
        {
            output.WriteLine(string.Create(Invariant, $"    {kind,-14}{count,9}"));
        }
        output.WriteLine("  first errors:");
        foreach (var sample in result.ErrorSamples)
        {
            output.WriteLine($"    {sample}");
        }
    }

    public static void PrintComparison(ScenarioResult noop, ScenarioResult lifecycle, TextWriter output)
    {
        var ratio = CompareScenario.Ratio(noop, lifecycle);
        output.WriteLine(string.Create(Invariant,
            $"compare: lifecycle {lifecycle.RequestsPerSecond:F1} requests/s ÷ noop {noop.RequestsPerSecond:F1} requests/s = {ratio:P1} (target ≥ {CompareScenario.TargetRatio:P0}: {(ratio >= CompareScenario.TargetRatio ? "met" : "NOT met")})"));
    }

    /// <summary>Writes every result of the run, plus the ratio when both scenarios ran.</summary>
    public static void WriteJson(string path, LoadOptions options, IReadOnlyList<ScenarioResult> results, double? ratio)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("scenario", options.Scenario);
        json.WriteString("url", options.Url.AbsoluteUri);
        json.WriteNumber("concurrency", options.Concurrency);
        json.WriteString("finishedAt", DateTimeOffset.UtcNow);
        json.WriteStartArray("results");
        foreach (var result in results)
        {
            WriteResult(json, result);
        }
        json.WriteEndArray();
        if (ratio is { } r)
        {
            json.WriteNumber("lifecycleToNoopRatio", Math.Round(r, 4));
            json.WriteNumber("targetRatio", CompareScenario.TargetRatio);
        }
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ScenarioResult result)
    {
        json.WriteStartObject();
        json.WriteString("scenario", result.Scenario);
        json.WriteString("unit", result.Unit);
        json.WriteNumber("warmup", result.Warmup);
        json.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        json.WriteNumber("units", result.Units);
        json.WriteNumber("failedUnits", result.FailedUnits);
        json.WriteNumber("unitsPerSecond", Math.Round(result.UnitsPerSecond, 1));
        json.WriteNumber("requests", result.Requests);
        json.WriteNumber("requestsPerSecond", Math.Round(result.RequestsPerSecond, 1));
        json.WriteNumber("errors", result.Errors);
        json.WriteNumber("errorRate", Math.Round(result.ErrorRate, 6));
        json.WriteBoolean("interrupted", result.Interrupted);
        json.WriteStartObject("latencyMs");
        foreach (var (name, l) in result.Operations)
        {
            json.WriteStartObject(name);
            json.WriteNumber("count", l.Count);
            json.WriteNumber("mean", Math.Round(l.Mean, 3));
            json.WriteNumber("p50", Math.Round(l.P50, 3));
            json.WriteNumber("p90", Math.Round(l.P90, 3));
            json.WriteNumber("p99", Math.Round(l.P99, 3));
            json.WriteNumber("max", Math.Round(l.Max, 3));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("errorsByKind");
        foreach (var (kind, count) in result.ErrorCounts)
        {
            json.WriteNumber(kind, count);
        }
        json.WriteEndObject();
        json.WriteStartArray("errorSamples");
        foreach (var sample in result.ErrorSamples)
        {
            json.WriteStringValue(sample);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
