using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Levee.Load;

/// <summary>
/// The body of a batch's items request: one line <c>{"index":i,"input":{"n":i}}</c> per item, for i from 0
/// to <c>count</c>-1, generated while the request is sent, about 64 KiB per write. The whole body never
/// exists at once, so a million items cost the client one buffer, and the silo's back-pressure paces the
/// generation. Sent chunked (no length is known up front).
/// </summary>
internal sealed class NdjsonItemsContent : HttpContent
{
    private const int BufferSize = 64 * 1024;

    /// <summary>More than the longest line, <c>{"index":2147483647,"input":{"n":2147483647}}\n</c> (47 bytes).</summary>
    private const int MaxLineLength = 64;

    private readonly int _count;
    private long _written;
    private long _firstByteAt;

    public NdjsonItemsContent(int count)
    {
        _count = count;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
    }

    /// <summary>Items handed to the connection so far; read by the progress line while the request runs.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>When the first body bytes were handed to the connection (a <see cref="Stopwatch"/> timestamp; 0 before).</summary>
    public long FirstByteAt => Volatile.Read(ref _firstByteAt);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // From the start each time: the handler may send the body again on a fresh connection.
        Volatile.Write(ref _written, 0);
        Volatile.Write(ref _firstByteAt, 0);
        var buffer = new byte[BufferSize];
        var filled = 0;
        for (var i = 0; i < _count; i++)
        {
            filled += WriteLine(buffer.AsSpan(filled), i);
            if (filled > BufferSize - MaxLineLength || i == _count - 1)
            {
                if (FirstByteAt == 0)
                {
                    Volatile.Write(ref _firstByteAt, Stopwatch.GetTimestamp());
                }
                await stream.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                filled = 0;
                Volatile.Write(ref _written, i + 1L);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>Writes item <paramref name="index"/>'s line into <paramref name="span"/>; returns its length.</summary>
    private static int WriteLine(Span<byte> span, int index)
    {
        var length = Append(span, 0, """{"index":"""u8);
        length += Format(span[length..], index);
        length = Append(span, length, ""","input":{"n":"""u8);
        length += Format(span[length..], index);
        return Append(span, length, "}}\n"u8);
    }

    private static int Append(Span<byte> span, int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[at..]);
        return at + text.Length;
    }

    private static int Format(Span<byte> span, int value) =>
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture)
            ? written : throw new InvalidOperationException("The line buffer is too small.");
}
