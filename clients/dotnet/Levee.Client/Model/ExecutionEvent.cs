using System.Text.Json;

namespace Levee.Client;

/// <summary>One event of an execution's (or a batch's) log.</summary>
/// <param name="Seq">Its sequence number: from 1, no gaps.</param>
/// <param name="Type">Its type (<c>created</c>, <c>claimed</c>, <c>output</c>, <c>succeeded</c>, …).</param>
/// <param name="Time">When it happened.</param>
/// <param name="Data">Its payload.</param>
public sealed record ExecutionEvent(long Seq, string Type, DateTimeOffset Time, JsonElement Data)
{
    /// <summary>True for the event that makes an execution terminal.</summary>
    public bool IsTerminal => Type is "succeeded" or "failed" or "cancelled" or "timed_out";
}
