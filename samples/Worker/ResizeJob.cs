namespace Levee.Samples.Worker;

/// <summary>The input of a job on the "images" queue.</summary>
public sealed record ResizeJob(string Url, int Width);

/// <summary>Its output.</summary>
public sealed record Resized(string Url, int Width, string Location);
