using System.Reflection;
using System.Text.Json.Serialization;
using Levee.Grains.Batches;
using Levee.Grains.Executions;
using Levee.Grains.Serialization;
using Xunit;

namespace Levee.Grains.Tests.Serialization;

/// <summary>Adding an event type is declaring it: its base's [JsonDerivedType] is the only list of events.</summary>
public sealed class LogPayloadsTests
{
    public static TheoryData<Type> EventTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(ExecutionEvent).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && (t.IsSubclassOf(typeof(ExecutionEvent)) || t.IsSubclassOf(typeof(BatchEvent)))))
        {
            data.Add(type);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void EveryEventType_IsDeclaredOnItsBaseAndHasAContract(Type type)
    {
        var declared = type.BaseType!.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType);
        Assert.Contains(type, declared);
        Assert.NotNull(GrainsJsonContext.Default.GetTypeInfo(type));
    }

    [Fact]
    public void Payloads_AreTheEventsOwnFields_WithoutADiscriminator()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal("""{"batchId":"b","at":"2025-01-02T03:04:05+00:00"}""",
            System.Text.Encoding.UTF8.GetString(ExecutionCodec.ToLogEvent(new BatchWaitRequested(at, "b")).Data.Span));
        Assert.Equal("""{"enqueuedCount":3,"at":"2025-01-02T03:04:05+00:00"}""",
            System.Text.Encoding.UTF8.GetString(BatchCodec.ToLogEvent(new BatchSealed(at, 3)).Data.Span));
    }
}
