using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Levee;

/// <summary>The serializer setup every process that calls Levee's grains needs: silos, gateways, samples and users' Orleans clients.</summary>
public static class LeveeSerialization
{
    /// <summary>
    /// Lets Orleans carry the JSON payloads of commands and views (<see cref="JsonElement"/>:
    /// inputs, outputs, metadata) through System.Text.Json. Without it the first grain call that
    /// carries one fails with <c>CodecNotFoundException</c>.
    /// </summary>
    public static IServiceCollection AddLeveeSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
}
