using System.Text.Json;

namespace Levee.Client.Worker;

/// <summary>The queues a worker serves and how.</summary>
public sealed class LeveeWorkerOptions
{
    internal List<QueueWorkerBuilder> Queues { get; } = [];

    /// <summary>This worker's id on claims (default: machine name and process id).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How job inputs and outputs are (de)serialized.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// How long before the host's shutdown timeout the jobs still running are stopped and their
    /// claims released (requeued at once, no attempt used up).
    /// </summary>
    public TimeSpan ReleaseMargin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest pause between claims after failures (the silo restarting, the network down).</summary>
    public TimeSpan MaxClaimBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Serves <paramref name="name"/>; configure its handler on the builder it returns.</summary>
    public QueueWorkerBuilder Queue(string name)
    {
        var builder = new QueueWorkerBuilder(name);
        Queues.Add(builder);
        return builder;
    }
}
