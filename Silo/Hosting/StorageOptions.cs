namespace Levee.Silo.Hosting;

/// <summary><c>Levee:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (embedded default). PostgreSQL arrives with the cluster issue.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string of the provider.</summary>
    public string ConnectionString { get; set; } = "Data Source=./data/levee.db";
}
