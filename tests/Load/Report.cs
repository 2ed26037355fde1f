using System.Globalization;
using System.Text.Encodings.Web;
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
            $"{result.Scenario}: {result.Units} {result.Unit}{(result.Unit == "requests" ? "" : $" ({result.Requests} requests)")} in {seconds:F2} s, {result.Setup}, warmup {result.Warmup} {result.Unit}{(result.Interrupted ? " (interrupted)" : "")}"));
        List<Metric> figures = result.Unit == "requests" ? [] : [new($"{result.Unit}/s", result.UnitsPerSecond)];
        figures.Add(new("requests/s", result.RequestsPerSecond));
        figures.AddRange(result.Metrics);
        var width = Math.Max(14, figures.Max(f => f.Name.Length) + 2);
        foreach (var figure in figures)
        {
            output.WriteLine($"  {figure.Name.PadRight(width)}{figure.Value.ToString(figure.Format, Invariant),10}");
        }
        PrintLatencies("latency (ms)", result.Operations, output);
        if (result.Flows.Count > 0)
        {
            PrintLatencies("between (ms)", result.Flows, output);
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

    private static void PrintLatencies(string title, IReadOnlyList<OperationResult> latencies, TextWriter output)
    {
        // Names longer than the title column (e.g. "complete→child_finished") widen it, keeping the figures aligned.
        var width = latencies.Select(l => l.Name.Length + 1).Prepend(14).Max();
        output.WriteLine(string.Create(Invariant, $"  {title.PadRight(width)}{"count",9}{"p50",9}{"p90",9}{"p99",9}{"max",9}"));
        foreach (var (name, l) in latencies)
        {
            output.WriteLine(string.Create(Invariant, $"  {name.PadRight(width)}{l.Count,9}{l.P50,9:F2}{l.P90,9:F2}{l.P99,9:F2}{l.Max,9:F2}"));
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
        // Relaxed escaping keeps names such as "queue→claim" readable; the file is not embedded in HTML.
        using var json = new Utf8JsonWriter(stream,
            new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
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
        json.WriteString("setup", result.Setup);
        json.WriteNumber("concurrency", result.Concurrency);
        json.WriteNumber("warmup", result.Warmup);
        json.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        json.WriteNumber("units", result.Units);
        json.WriteNumber("failedUnits", result.FailedUnits);
        if (result.UnitsElapsed is { } unitsElapsed)
        {
            json.WriteNumber("unitsElapsedSeconds", Math.Round(unitsElapsed.TotalSeconds, 3));
        }
        json.WriteNumber("unitsPerSecond", Math.Round(result.UnitsPerSecond, 1));
        json.WriteNumber("requests", result.Requests);
        json.WriteNumber("requestsPerSecond", Math.Round(result.RequestsPerSecond, 1));
        json.WriteNumber("errors", result.Errors);
        json.WriteNumber("errorRate", Math.Round(result.ErrorRate, 6));
        json.WriteBoolean("interrupted", result.Interrupted);
        WriteLatencies(json, "latencyMs", result.Operations);
        WriteLatencies(json, "betweenMs", result.Flows);
        json.WriteStartObject("metrics");
        foreach (var metric in result.Metrics)
        {
            json.WriteNumber(metric.Name, Math.Round(metric.Value, 3));
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

    private static void WriteLatencies(Utf8JsonWriter json, string property, IReadOnlyList<OperationResult> latencies)
    {
        json.WriteStartObject(property);
        foreach (var (name, l) in latencies)
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
    }
}
