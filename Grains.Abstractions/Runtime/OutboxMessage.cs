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
    /// <summary>
    /// Applies the messages addressed to this grain, in order, in as few commits as it can (a
    /// batch counts many finished children in one); true when all were handled (and may be deleted).
    /// </summary>
    Task<bool> ReceiveMessagesAsync(IReadOnlyList<OutboxMessage> messages);
}
