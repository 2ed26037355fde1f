using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Json;

namespace Levee.Gateway.Batches;

/// <summary>
/// Reads Phase-2 NDJSON as it streams in, one line at a time, never holding more than one line
/// and one chunk of parsed items: memory stays flat whatever the size of the batch.
/// </summary>
public sealed class NdjsonItemReader(PipeReader body, int runCount, bool batchHasTask, int maxLineBytes)
{
    private long _line;

    /// <summary>
    /// Reads up to <paramref name="max"/> items, stopping early once the chunk's lines reach
    /// <paramref name="maxBytes"/> (a chunk is one grain call, whose message must stay bounded);
    /// an empty list means the body ended. A bad line ends the stream with a rejection naming its
    /// line (and index when known).
    /// </summary>
    public async Task<(List<BatchItem> Items, Rejection? Error)> ReadChunkAsync(int max, int maxBytes, CancellationToken cancellationToken)
    {
        var items = new List<BatchItem>(max);
        var bytes = 0L;
        while (items.Count < max && bytes < maxBytes)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var error = (Rejection?)null;
            var lineIncomplete = false;
            while (items.Count < max && bytes < maxBytes)
            {
                if (!TryReadLine(ref buffer, result.IsCompleted, out var line))
                {
                    lineIncomplete = true;
                    break;
                }
                _line++;
                if (line.Length > maxLineBytes)
                {
                    error = new Rejection(ErrorCodes.PayloadTooLarge, $"line {_line} is larger than {maxLineBytes} bytes.") { Extensions = Where(_line, null) };
                    break;
                }
                if (IsBlank(line))
                {
                    continue;
                }
                var (item, invalid) = Parse(line);
                if (invalid is not null)
                {
                    error = invalid;
                    break;
                }
                items.Add(item!);
                bytes += line.Length;
            }
            // Only what is left of an unterminated line counts against the limit, not unread lines.
            if (error is null && lineIncomplete && buffer.Length > maxLineBytes)
            {
                error = new Rejection(ErrorCodes.PayloadTooLarge, $"line {_line + 1} is larger than {maxLineBytes} bytes.") { Extensions = Where(_line + 1, null) };
            }
            // Lines left over after a full chunk are not examined yet: the next read must see them at once.
            body.AdvanceTo(buffer.Start, lineIncomplete ? buffer.End : buffer.Start);
            if (error is not null)
            {
                return (items, error);
            }
            if (result.IsCompleted && buffer.IsEmpty)
            {
                break;
            }
        }
        return (items, null);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return true;
        }
        if (completed && !buffer.IsEmpty)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
            return true;
        }
        line = default;
        return false;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private (BatchItem? Item, Rejection? Error) Parse(ReadOnlySequence<byte> line)
    {
        BatchItemLine? parsed;
        long consumed;
        try
        {
            var reader = new Utf8JsonReader(line);
            parsed = JsonSerializer.Deserialize(ref reader, GatewayJsonContext.Default.BatchItemLine);
            consumed = reader.BytesConsumed;
        }
        catch (JsonException ex)
        {
            return (null, Invalid($"line {_line} is not a valid item: {ex.Message.Split(". ")[0]}.", null));
        }
        // One JSON value per line: after it only blanks and the \r of a \r\n line end (a second
        // value, junk, a NUL or a lone \r used as a line break would otherwise be dropped unread).
        if (!IsBlank(line.Slice(consumed)))
        {
            return (null, Invalid($"line {_line} holds more than one JSON value (or text after it); put one item per line.", parsed?.Index));
        }
        if (parsed?.Index is not { } index)
        {
            return (null, Invalid($"line {_line} has no index.", null));
        }
        if (index < 0 || index >= runCount)
        {
            return (null, Invalid($"line {_line}: index {index} is outside 0..{runCount - 1}.", index));
        }
        if (parsed.Task is null && !batchHasTask)
        {
            return (null, Invalid($"line {_line}: index {index} has no task and the batch has no default task.", index));
        }
        // The child's own fields, checked here so the error names its line and the items before it stay accepted.
        var child = CreateExecution.ValidateItemFields(parsed.Task, parsed.Options?.Tags, parsed.Options?.Metadata);
        if (child is not null)
        {
            return (null, Invalid($"line {_line}: index {index}: {child.Detail}", index));
        }
        return (new BatchItem(index, parsed.Task, parsed.Input, parsed.Options?.Tags, parsed.Options?.Metadata), null);
    }

    private Rejection Invalid(string detail, int? index) => new(ErrorCodes.ValidationFailed, detail) { Extensions = Where(_line, index) };

    private static Dictionary<string, long?> Where(long line, int? index) => new() { ["line"] = line, ["index"] = index };
}
