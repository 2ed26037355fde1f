using System.Text;

namespace Levee.Gateway.Tests.Streams;

/// <summary>One server-sent event as received.</summary>
public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>Reads server-sent events from a live response stream, following the HTML standard's field rules.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public int Comments { get; private set; }

    /// <summary>The next event, or null when the stream closed.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is null && data.Length == 0)
                {
                    continue;
                }
                return new SseEvent(id, type ?? "message", data.ToString());
            }
            if (line.StartsWith(':'))
            {
                Comments++;
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(value); break;
            }
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
