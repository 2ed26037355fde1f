namespace Levee.Grains.Storage;

/// <summary>A durable timer set (DueAt given) or cleared (DueAt null), committed with the grain's state.</summary>
/// <param name="Name">Unique per grain, e.g. <c>lease</c> or <c>approval:c1</c>.</param>
/// <param name="DueAt">When it fires; null clears it.</param>
public sealed record TimerChange(string Name, DateTimeOffset? DueAt);
