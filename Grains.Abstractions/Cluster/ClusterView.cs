namespace Levee.Cluster;

/// <summary>The body of <c>GET /v1/cluster</c>: the silos and what the cluster holds.</summary>
/// <param name="Silos">Every silo membership knows of, the dead ones included until membership forgets them.</param>
/// <param name="Executions">Executions stored, by status (wire names; zero counts left out).</param>
[GenerateSerializer, Immutable, Alias("Levee.ClusterView")]
public sealed record ClusterView(
    [property: Id(0)] IReadOnlyList<SiloView> Silos,
    [property: Id(1)] IReadOnlyDictionary<string, long> Executions);

/// <summary>One silo as the cluster view shows it.</summary>
/// <param name="Id">The silo's address as Orleans names it (<c>S127.0.0.1:11111:…</c>).</param>
/// <param name="Address">Its endpoint, <c>host:port</c>.</param>
/// <param name="Name">Its silo name.</param>
/// <param name="Status">Its membership status, lower case (<c>active</c>, <c>joining</c>, <c>shuttingdown</c>, <c>dead</c>, …).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="LastHeartbeat">Its last "I am alive" in the membership table.</param>
/// <param name="Activations">Its activations by grain type.</param>
/// <param name="CommandsPerSecond">Grain commands it committed per second lately; null when this silo did not answer for itself.</param>
/// <param name="CommitLatencyMs">Its mean group-commit duration lately, in ms; null when it did not answer or committed nothing.</param>
[GenerateSerializer, Immutable, Alias("Levee.SiloView")]
public sealed record SiloView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Address,
    [property: Id(2)] string Name,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset LastHeartbeat,
    [property: Id(6)] IReadOnlyDictionary<string, int> Activations,
    [property: Id(7)] double? CommandsPerSecond,
    [property: Id(8)] double? CommitLatencyMs);
