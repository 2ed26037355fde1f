namespace Levee.Load;

/// <summary>
/// The first few error responses of a run, kept so the report can show why requests failed.
/// Shared by all workers; the lock is only taken on the error path and only until it is full.
/// </summary>
internal sealed class ErrorSamples(int capacity = 5)
{
    private const int MaxBodyLength = 500;
    private readonly List<string> _samples = new(capacity);
    private readonly Lock _lock = new();
    private volatile bool _full;

    public void Add(string operation, string kind, string? body)
    {
        if (_full)
        {
            return;
        }
        var text = body is null ? "" : body.Length > MaxBodyLength ? body[..MaxBodyLength] + "…" : body;
        lock (_lock)
        {
            if (_samples.Count < capacity)
            {
                _samples.Add($"{operation} -> {kind}: {text}");
            }
            _full = _samples.Count >= capacity;
        }
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }
}
