namespace Levee.Grains.Durable;

/// <summary>A grain that receives outbox messages: at least once, in the order they were written.</summary>
[Alias("Levee.IOutboxReceiver")]
public interface IOutboxReceiver : IGrainWithStringKey
{
    /// <summary>
    /// Applies the messages addressed to this grain, in order, in as few commits as it can (a
    /// batch counts many finished children in one); true when all were handled (and may be deleted).
    /// </summary>
    [Alias("ReceiveMessages")]
    Task<bool> ReceiveMessagesAsync(IReadOnlyList<Message> messages);
}

/// <summary>One outbox message as delivered.</summary>
/// <param name="Kind">One of <see cref="OutboxKinds"/>.</param>
/// <param name="Payload">Kind-specific text.</param>
[GenerateSerializer, Immutable, Alias("Levee.OutboxItem")]
public sealed record Message([property: Id(0)] string Kind, [property: Id(1)] string Payload);
