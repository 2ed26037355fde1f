using Levee.Grains.Storage;

namespace Levee.Silo.Outbox;

/// <summary>A stored outbox message.</summary>
/// <param name="Id">Row id (delivery order).</param>
/// <param name="Message">The message.</param>
/// <param name="CreatedAt">When its commit wrote it (what outbox lag is measured from).</param>
public sealed record StoredMessage(long Id, OutboxMessage Message, DateTimeOffset CreatedAt);

/// <summary>The outbox table as the dispatcher sees it (messages are written by grain commits).</summary>
public interface IOutboxStore
{
    /// <summary>The oldest messages.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Deletes delivered messages.</summary>
    Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);
}
