namespace Levee.Silo.Timers;

/// <summary>A timer row that fell due.</summary>
/// <param name="Grain">Whose timer.</param>
/// <param name="Name">Timer name.</param>
/// <param name="DueAt">When it was due.</param>
public sealed record DueTimer(GrainId Grain, string Name, DateTimeOffset DueAt);
