using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Levee.Client.Json;

namespace Levee.Client.Http;

/// <summary>
/// Phase 2's body: writes the items as NDJSON while the source yields them, in chunked transfer,
/// so memory stays flat whatever the batch's size (one reused line buffer and the socket's).
/// Items <paramref name="include"/> rejects are skipped. It can be sent once; a retry makes a new one.
/// </summary>
internal sealed class NdjsonItemsContent(IAsyncEnumerable<BatchItem> items, Func<int, bool> include, CancellationToken cancellationToken) : HttpContent
{
    /// <summary>Bytes written before a flush, so the server parses while the client still produces.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>Items written (what the request carried).</summary>
    public long Written { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken1)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancellationToken1);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        var pending = 0;
        await foreach (var item in items.WithCancellation(linked.Token).ConfigureAwait(false))
        {
            if (!include(item.Index))
            {
                continue;
            }
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, item, LeveeClientJsonContext.Default.BatchItem);
            writer.Flush();
            buffer.Write("\n"u8);
            await stream.WriteAsync(buffer.WrittenMemory, linked.Token).ConfigureAwait(false);
            pending += buffer.WrittenCount;
            buffer.ResetWrittenCount();
            Written++;
            if (pending >= FlushBytes)
            {
                await stream.FlushAsync(linked.Token).ConfigureAwait(false);
                pending = 0;
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>The content type of phase 2.</summary>
    public static readonly MediaTypeHeaderValue MediaType = new("application/x-ndjson");
}
