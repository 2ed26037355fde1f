namespace Levee.Errors;

/// <summary>How a command ended.</summary>
[GenerateSerializer, Alias("Levee.OutcomeKind")]
public enum OutcomeKind
{
    /// <summary>The command changed state; its events are durable.</summary>
    Applied,
    /// <summary>The command was an idempotent repeat: nothing changed and the current value is returned.</summary>
    Unchanged,
    /// <summary>The command was refused; see the rejection.</summary>
    Rejected,
}

/// <summary>The result of a grain command: a value, or a typed rejection.</summary>
/// <typeparam name="T">The value type.</typeparam>
[GenerateSerializer, Immutable, Alias("Levee.Outcome`1")]
public sealed record Outcome<T>
{
    /// <summary>What happened.</summary>
    [Id(0)]
    public OutcomeKind Kind { get; init; }

    /// <summary>The value, unless rejected.</summary>
    [Id(1)]
    public T? Value { get; init; }

    /// <summary>The rejection, when <see cref="Kind"/> is <see cref="OutcomeKind.Rejected"/>.</summary>
    [Id(2)]
    public Rejection? Rejection { get; init; }

    /// <summary>True unless rejected.</summary>
    public bool IsSuccess => Kind != OutcomeKind.Rejected;

    /// <summary>A command that changed state.</summary>
    public static Outcome<T> Applied(T value) => new() { Kind = OutcomeKind.Applied, Value = value };

    /// <summary>An idempotent repeat.</summary>
    public static Outcome<T> Unchanged(T value) => new() { Kind = OutcomeKind.Unchanged, Value = value };

    /// <summary>A refusal.</summary>
    public static Outcome<T> Rejected(Rejection rejection) => new() { Kind = OutcomeKind.Rejected, Rejection = rejection };
}
