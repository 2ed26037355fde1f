using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Deletes expired Idempotency-Key claims so the table holds about one TTL of keys.</summary>
internal sealed partial class SqliteIdempotencyPurger(SqliteDatabase database, TimeProvider clock, ILogger<SqliteIdempotencyPurger> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = PurgeExpired(clock.GetUtcNow());
                if (purged > 0)
                {
                    LogPurged(purged);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // Next round; a busy database must not stop the silo.
                LogPurgeFailed(ex);
            }
        }
    }

    /// <summary>Deletes every claim expired at <paramref name="now"/>; returns how many.</summary>
    public int PurgeExpired(DateTimeOffset now) =>
        database.Write(session => session.Execute(SqliteSql.PurgeIdempotency, ("$now", now.ToUnixTimeMilliseconds())));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed; will retry")]
    private partial void LogPurgeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private partial void LogPurged(int count);
}
