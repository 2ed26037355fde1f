namespace Levee.Idempotency;

/// <summary>An Idempotency-Key sent with a creating request.</summary>
/// <param name="Key">The client's key (1–255 printable ASCII characters).</param>
/// <param name="RequestHash">Hash of everything the request asked for; reuse with another hash is refused.</param>
public sealed record IdempotencyRequest(string Key, string RequestHash)
{
    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>True for 1–255 visible ASCII characters.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is > ' ' and <= '~');
}
