namespace Levee.Runtime;

/// <summary>
/// A message to another grain, written in the sender's transaction and delivered at least once
/// by the outbox dispatcher; receivers must apply it idempotently.
/// </summary>
/// <param name="Target">The receiving grain.</param>
/// <param name="Kind">What it means, e.g. <c>child_finished</c>.</param>
/// <param name="Payload">Kind-specific text (often a number or an id).</param>
public sealed record OutboxMessage(GrainId Target, string Kind, string Payload);

/// <summary>A grain that receives outbox messages.</summary>
public interface IMessageReceiver
{
    /// <summary>Applies a message; true when it was handled (and may be deleted).</summary>
    Task<bool> ReceiveMessageAsync(string kind, string payload);
}
