using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Levee.Executions;

/// <summary>Validates client-supplied ids and mints opaque, prefixed, time-sortable ones.</summary>
public static class ExecutionIds
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Longest id a client may supply.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The prefix of minted batch ids. A batch's children are <c>{batchId}.{index}</c>, so a client
    /// may not choose an execution id with it: a child id taken first would be adopted as the
    /// batch's child, and the batch could never finish.
    /// </summary>
    public const string BatchPrefix = "bat";

    /// <summary>True for ids minted for batches and their children (<c>bat_…</c>), which no client create may take.</summary>
    public static bool IsReservedForBatches(string id) =>
        id.Length > BatchPrefix.Length && id.StartsWith(BatchPrefix, StringComparison.Ordinal) && id[BatchPrefix.Length] == '_';

    /// <summary>True for 1–128 characters of <c>A-Za-z0-9_-.:</c>.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.AsSpan().IndexOfAnyExcept(Allowed) < 0;

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:");

    /// <summary>
    /// A new id <c>{prefix}_{ulid}</c>: 48 bits of milliseconds then 80 random bits, in Crockford
    /// base32, so ids sort by creation time.
    /// </summary>
    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, now.ToUnixTimeMilliseconds() << 16);
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[prefix.Length + 1 + 26];
        prefix.AsSpan().CopyTo(chars);
        chars[prefix.Length] = '_';
        var hi = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var text = chars[(prefix.Length + 1)..];
        // 128 bits -> 26 base32 digits, most significant first (the top digit holds 3 bits).
        for (var i = 25; i >= 0; i--)
        {
            text[i] = Crockford[(int)(lo & 31)];
            lo = (lo >> 5) | (hi << 59);
            hi >>= 5;
        }
        return new string(chars);
    }
}
