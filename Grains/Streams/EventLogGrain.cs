using Levee.Grains.Storage;
using Levee.Streams;
using Orleans.Concurrency;

namespace Levee.Grains.Streams;

/// <summary>Reads event logs from the database; a stateless worker, so reads run on the caller's silo beside the writing grains.</summary>
[GrainType("log"), StatelessWorker]
internal sealed class EventLogGrain(ICommitStore store) : Grain, IEventLogGrain
{
    public Task<EventPage> ReadAsync(GrainId stream, long fromSeq, int maxEvents, int maxBytes) =>
        store.ReadEventsAsync(stream, Math.Max(1, fromSeq), Math.Clamp(maxEvents, 1, EventPage.MaxEvents), Math.Clamp(maxBytes, 1, EventPage.MaxBytes),
            CancellationToken.None);
}
