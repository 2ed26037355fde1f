using System.Text.Json;
using Levee.Queues;
using Levee.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;

namespace Levee;

/// <summary>The setup every process that calls Levee's grains needs: silos, gateways, samples and users' Orleans clients.</summary>
public static class LeveeSerialization
{
    /// <summary>
    /// Lets Orleans carry the JSON payloads of commands and views (<see cref="JsonElement"/>:
    /// inputs, outputs, metadata) through System.Text.Json. Without it the first grain call that
    /// carries one fails with <c>CodecNotFoundException</c>.
    /// </summary>
    public static IServiceCollection AddLeveeSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));

    /// <summary>
    /// <see cref="AddLeveeSerialization"/> plus what a caller of Levee's grains follows them with:
    /// one <see cref="GrainWatchHub"/> per process (a single observer however many streams are
    /// watched), <see cref="EventFollower"/> (event logs, replayed then live) and
    /// <see cref="QueueClaimer"/> (long-poll claims). The REST gateway uses exactly these.
    /// </summary>
    public static IServiceCollection AddLeveeClient(this IServiceCollection services) =>
        services.AddLeveeSerialization().AddLeveeWatches();

    /// <summary>
    /// <see cref="GrainWatchHub"/>, <see cref="EventFollower"/> and <see cref="QueueClaimer"/>
    /// alone, for a host whose serialization is set up already (a silo co-hosting the gateway).
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddLeveeWatches(this IServiceCollection services)
    {
        services.TryAddSingleton<GrainWatchHub>();
        services.TryAddSingleton<EventFollower>();
        services.TryAddSingleton<QueueClaimer>();
        return services;
    }
}
