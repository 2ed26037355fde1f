using System.Globalization;

namespace Levee.Load;

/// <summary>
/// Samples a local process's resident memory (<c>VmRSS</c> in <c>/proc/{pid}/status</c>, Linux) every
/// 200 ms from construction until disposal: its baseline (the first sample), peak and end. Sampling
/// simply stops if the process goes away. Peaks shorter than the interval can be missed.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;
    private long _last;
    private bool _disposed;

    public RssSampler(int pid)
    {
        _pid = pid;
        BaselineKiB = _peak = _last = Read(pid) ?? 0;
        _loop = RunAsync();
    }

    public long BaselineKiB { get; }

    public long PeakKiB => Interlocked.Read(ref _peak);

    /// <summary>The last sample: at disposal, once disposed.</summary>
    public long EndKiB => Interlocked.Read(ref _last);

    /// <summary>Baseline, peak, growth (peak − baseline) and end, in MB.</summary>
    public IEnumerable<Metric> Metrics() =>
    [
        new("silo rss baseline (MB)", BaselineKiB / 1024.0),
        new("silo rss peak (MB)", PeakKiB / 1024.0),
        new("silo rss growth (MB)", (PeakKiB - BaselineKiB) / 1024.0),
        new("silo rss end (MB)", EndKiB / 1024.0),
    ];

    /// <summary>The process's resident memory in KiB; null when it cannot be read (no such process, not Linux).</summary>
    public static long? Read(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                // "VmRSS:	  123456 kB"
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var value = line.AsSpan("VmRSS:".Length).Trim();
                    var space = value.IndexOf(' ');
                    return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
                        ? kib : null;
                }
            }
        }
        catch (IOException)
        {
            // Gone, or never there.
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process.
        }
        return null;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (!Sample())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }

    private bool Sample()
    {
        if (Read(_pid) is not { } kib)
        {
            return false;
        }
        Interlocked.Exchange(ref _last, kib);
        if (kib > PeakKiB)
        {
            // Only this loop (and the final sample, after it ended) writes the peak.
            Interlocked.Exchange(ref _peak, kib);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        Sample();
    }
}
