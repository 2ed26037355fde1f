namespace Levee.Gateway.RateLimits;

/// <summary>The connections a key holds open, each counted apart from its requests (<see cref="ConnectionLimits"/>).</summary>
public enum ConnectionKind
{
    /// <summary>A server-sent event stream of an execution or a batch, open until its end event or until the client leaves.</summary>
    Stream,

    /// <summary>A claim or a result read with <c>waitMs</c> above 0, open until it has an answer or the wait passes.</summary>
    LongPoll,
}
