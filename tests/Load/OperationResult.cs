namespace Levee.Load;

/// <summary>Latencies of one request type (e.g. <c>create</c>) over the measured phase.</summary>
internal sealed record OperationResult(string Name, LatencySummary Latency);
