using System.Diagnostics;
using Levee.Grains.Cluster;
using Levee.Silo.Storage;

namespace Levee.Silo.Diagnostics;

/// <summary>
/// The silo's activity from its commit writer's counters: the commands and the mean group-commit
/// duration between one sample and the next (the cluster view samples about once a second).
/// </summary>
internal sealed class CommitActivity(GroupCommitStats writer) : ISiloActivity
{
    private readonly Lock _gate = new();
    private (long At, long Commands, long Transactions, long Ticks) _last = (Stopwatch.GetTimestamp(), 0, 0, 0);

    public (double CommandsPerSecond, double? CommitLatencyMs) Sample()
    {
        var now = (At: Stopwatch.GetTimestamp(), Commands: writer.CommandsCommitted, Transactions: writer.TransactionsCommitted, Ticks: writer.CommitTicks);
        (long At, long Commands, long Transactions, long Ticks) last;
        lock (_gate)
        {
            (last, _last) = (_last, now);
        }
        var seconds = Stopwatch.GetElapsedTime(last.At, now.At).TotalSeconds;
        var transactions = now.Transactions - last.Transactions;
        return (seconds > 0 ? (now.Commands - last.Commands) / seconds : 0,
            transactions > 0 ? (now.Ticks - last.Ticks) * 1000.0 / Stopwatch.Frequency / transactions : null);
    }
}
