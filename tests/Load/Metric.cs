namespace Levee.Load;

/// <summary>
/// A scenario-specific figure of the measured phase, printed beside the rates with
/// <c>Format</c> (<c>F1</c> for rates, <c>F0</c> for counts).
/// </summary>
internal sealed record Metric(string Name, double Value, string Format = "F1");
