namespace Levee.Idempotency;

/// <summary>The rules of an <c>Idempotency-Key</c> header.</summary>
public static class IdempotencyKeys
{
    /// <summary>Longest key accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>True for 1–255 visible ASCII characters.</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is > ' ' and <= '~');
}
