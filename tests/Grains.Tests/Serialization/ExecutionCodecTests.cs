using System.Text;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Tests.Executions;
using Xunit;

namespace Levee.Grains.Tests.Serialization;

/// <summary>What an execution's events look like on its log.</summary>
public sealed class ExecutionCodecTests
{
    [Fact]
    public void BatchChildCreated_NamesItsBatchAndItemOnly()
    {
        var create = ExecutionScenarios.NewCreate("bat_1.7") with { BatchId = "bat_1", BatchIndex = 7 };
        var created = ExecutionDecider.Decide(null, create, ExecutionScenarios.Now).Events.Single();

        var logged = ExecutionCodec.ToLogEvent(created);

        Assert.Equal(ExecutionEventTypes.Created, logged.Type);
        Assert.Equal("""{"batchId":"bat_1","batchIndex":7,"at":"2025-01-02T03:04:05+00:00"}""", Encoding.UTF8.GetString(logged.Data.Span));
    }

    [Fact]
    public void ClientCreated_CarriesItsWholeDefinition()
    {
        var created = ExecutionDecider.Decide(null, ExecutionScenarios.NewCreate(), ExecutionScenarios.Now).Events.Single();

        var data = Encoding.UTF8.GetString(ExecutionCodec.ToLogEvent(created).Data.Span);

        Assert.StartsWith("""{"spec":{"id":"exec-1",""", data, StringComparison.Ordinal);
        Assert.Contains("\"availableAt\":", data, StringComparison.Ordinal);
    }
}
