using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>A fact the execution decider produced. <see cref="LogType"/> is the type clients see on the stream.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(ExecutionCreated), "created")]
[JsonDerivedType(typeof(StatusChanged), "status")]
[JsonDerivedType(typeof(OutputAppended), "output")]
[JsonDerivedType(typeof(ReportRecorded), "report")]
[JsonDerivedType(typeof(ExecutionCancelled), "cancelled")]
internal abstract record ExecutionEvent(DateTimeOffset At)
{
    /// <summary>The event type on the log.</summary>
    [JsonIgnore]
    public abstract string LogType { get; }
}

/// <summary>The execution came into being, queued.</summary>
internal sealed record ExecutionCreated(DateTimeOffset At, CreateExecution Spec, [property: JsonIgnore] string Fingerprint, DateTimeOffset AvailableAt) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Created;
}

/// <summary>The status changed; terminal ones carry the outcome.</summary>
internal sealed record StatusChanged(DateTimeOffset At, ExecutionStatus Status, int Attempt, long? Seq = null, JsonElement? Output = null, ExecutionError? Error = null)
    : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => Status switch
    {
        ExecutionStatus.Succeeded => ExecutionEventTypes.Succeeded,
        ExecutionStatus.Failed => ExecutionEventTypes.Failed,
        ExecutionStatus.Cancelled => ExecutionEventTypes.Cancelled,
        ExecutionStatus.TimedOut => ExecutionEventTypes.TimedOut,
        _ => ExecutionEventTypes.Status,
    };
}

/// <summary>A chunk of user output.</summary>
internal sealed record OutputAppended(DateTimeOffset At, JsonElement Chunk) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Output;
}

/// <summary>A custom event from a worker.</summary>
internal sealed record ReportRecorded(DateTimeOffset At, string Type, int Attempt, long? Seq = null, JsonElement? Data = null) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Report;
}

/// <summary>A client cancelled the execution (terminal).</summary>
internal sealed record ExecutionCancelled(DateTimeOffset At, string? Reason) : ExecutionEvent(At)
{
    [JsonIgnore]
    public override string LogType => ExecutionEventTypes.Cancelled;
}
