using Levee.Runtime;

namespace Levee.Silo.Outbox;

/// <summary>A stored outbox message.</summary>
/// <param name="Id">Row id (delivery order).</param>
/// <param name="Message">The message.</param>
public sealed record StoredMessage(long Id, OutboxMessage Message);

/// <summary>The outbox table as the dispatcher sees it (messages are written by grain commits).</summary>
public interface IOutboxStore
{
    /// <summary>The oldest messages.</summary>
    IReadOnlyList<StoredMessage> Read(int limit);

    /// <summary>Deletes delivered messages.</summary>
    void Delete(IReadOnlyList<long> ids);
}
