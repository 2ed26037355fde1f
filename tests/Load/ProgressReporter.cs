using System.Diagnostics;
using System.Globalization;

namespace Levee.Load;

/// <summary>
/// Writes "done/total, current rate" to stderr about once a second, so stdout stays clean for
/// the report. On a terminal the line is rewritten in place; redirected, each update is a line.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly string _label;
    private readonly string _unit;
    private readonly long? _total;
    private readonly TimeSpan? _duration;
    private readonly Func<long> _done;
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Task _loop;

    public ProgressReporter(string label, string unit, long? total, TimeSpan? duration, Func<long> done)
    {
        (_label, _unit, _total, _duration, _done) = (label, unit, total, duration, done);
        _loop = RunAsync();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var (lastDone, lastAt) = (0L, _started);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var (done, now) = (_done(), Stopwatch.GetTimestamp());
                var rate = (done - lastDone) / Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds;
                (lastDone, lastAt) = (done, now);
                var elapsed = Stopwatch.GetElapsedTime(_started, now);
                var position = _total is { } total
                    ? $"{done}/{total} {_unit}"
                    : $"{done} {_unit}, {elapsed.TotalSeconds:F0}/{_duration.GetValueOrDefault().TotalSeconds:F0} s";
                var line = string.Create(CultureInfo.InvariantCulture, $"{_label}: {position}, {rate:F0}/s");
                await Console.Error.WriteAsync(_inPlace ? $"\r{line,-78}" : line + Environment.NewLine);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        if (_inPlace)
        {
            // Clear the in-place line so the report starts on a clean line.
            await Console.Error.WriteAsync($"\r{"",-78}\r");
        }
    }
}
