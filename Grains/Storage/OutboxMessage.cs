namespace Levee.Grains.Storage;

/// <summary>
/// A message to another grain, written in the sender's transaction and delivered at least once
/// (through <see cref="Levee.Grains.Durable.IOutboxReceiver"/>); receivers apply it idempotently.
/// </summary>
/// <param name="Target">The receiving grain.</param>
/// <param name="Kind">What it means, e.g. <c>child_finished</c>.</param>
/// <param name="Payload">Kind-specific text.</param>
public sealed record OutboxMessage(GrainId Target, string Kind, string Payload);
