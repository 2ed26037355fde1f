namespace Levee.Silo.Storage.Postgres;

/// <summary>PostgreSQL settings (<c>Levee:Storage:ConnectionString</c>, tuning under <c>Levee:Storage:Postgres</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>Npgsql connection string, e.g. <c>Host=db;Database=levee;Username=levee;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most grain commands in one group commit.</summary>
    public int MaxCommitBatch { get; set; } = 1024;

    /// <summary>
    /// How long a silo holds the due timers and outbox messages it claimed: another silo takes
    /// them over once it runs out (the holder died or hung). Longer than the slowest delivery.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The folder of the silo's own files (the development keys); PostgreSQL keeps everything else.</summary>
    public string DataFolder { get; set; } = "./data";
}
