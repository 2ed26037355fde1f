using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Storage;

namespace Levee.Benchmarks;

/// <summary>
/// The pure part of one command: decide, fold, serialize state and events. Everything a grain
/// does per command except storage and HTTP.
/// </summary>
[MemoryDiagnoser]
public class DeciderBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddYears(56);
    private readonly CreateExecution _create = new()
    {
        Id = "exe_01JD0000000000000000000000", Task = "send-email",
        Input = JsonDocument.Parse("""{"to":"ada@example.com","subject":"hello","body":"a short message"}""").RootElement,
    };
    private ExecutionState _running = null!;

    [GlobalSetup]
    public void Setup()
    {
        var created = ExecutionDecider.Fold(null, ExecutionDecider.Decide(null, _create, Now).Events)!;
        _running = ExecutionDecider.Fold(created, ExecutionDecider.Decide(created, new WriteStatus(ExecutionStatus.Running), Now).Events)!;
    }

    [Benchmark(Description = "create: decide + fold + encode")]
    public int Create() => Encode(null, ExecutionDecider.Decide(null, _create, Now));

    [Benchmark(Description = "succeed: decide + fold + encode")]
    public int Succeed() => Encode(_running, ExecutionDecider.Decide(_running, new WriteStatus(ExecutionStatus.Succeeded), Now));

    [Benchmark(Description = "report (duplicate seq): decide")]
    public int DuplicateReport() => ExecutionDecider.Decide(_running, new ReportEvent { Status = ExecutionStatus.Running, Seq = 0 }, Now).Events.Count;

    [Benchmark(Description = "state row: decode")]
    public string Decode() => ExecutionCodec.ReadState(ExecutionCodec.WriteState(_running)).Id;

    private static int Encode(ExecutionState? state, Decision decision)
    {
        var next = ExecutionDecider.Fold(state, decision.Events)!;
        var bytes = ExecutionCodec.WriteState(next).Length;
        foreach (var e in decision.Events)
        {
            bytes += ExecutionCodec.ToLogEvent(e).Data.Length;
        }
        return bytes;
    }
}
