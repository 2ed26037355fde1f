using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// The last errors the in-process servers logged, kept in memory so that an assertion on a reply
/// can show the exception behind an unexpected 500 (the test run keeps no server log).
/// </summary>
public sealed class ServerErrors : ILoggerProvider
{
    private const int Kept = 5;
    private static readonly ConcurrentQueue<string> Recent = new();

    /// <summary>The last few errors, newest last, or a note that there were none.</summary>
    public static string Describe() => Recent.IsEmpty ? "(no server error logged)" : "server errors, newest last:\n" + string.Join("\n", Recent);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
        // Nothing to release: the entries are static, shared by every server of the run.
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            Recent.Enqueue($"[{DateTime.UtcNow:HH:mm:ss.fff}] {category}: {formatter(state, exception)} {exception}");
            while (Recent.Count > Kept)
            {
                Recent.TryDequeue(out _);
            }
        }
    }
}
