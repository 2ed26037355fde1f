namespace Levee.Errors;

/// <summary>How a command ended.</summary>
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
public sealed record Outcome<T>
{
    private Outcome(OutcomeKind kind, T? value, Rejection? rejection)
    {
        Kind = kind;
        Value = value;
        Rejection = rejection;
    }

    /// <summary>What happened.</summary>
    public OutcomeKind Kind { get; }

    /// <summary>The value, unless rejected.</summary>
    public T? Value { get; }

    /// <summary>The rejection, when <see cref="Kind"/> is <see cref="OutcomeKind.Rejected"/>.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True unless rejected.</summary>
    public bool IsSuccess => Kind != OutcomeKind.Rejected;

    /// <summary>A command that changed state.</summary>
    public static Outcome<T> Applied(T value) => new(OutcomeKind.Applied, value, null);

    /// <summary>An idempotent repeat.</summary>
    public static Outcome<T> Unchanged(T value) => new(OutcomeKind.Unchanged, value, null);

    /// <summary>A refusal.</summary>
    public static Outcome<T> Rejected(Rejection rejection) => new(OutcomeKind.Rejected, default, rejection);
}
