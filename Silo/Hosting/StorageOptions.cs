using Microsoft.Extensions.Configuration;

namespace Levee.Silo.Hosting;

/// <summary>The storage providers <c>Levee:Storage:Provider</c> names.</summary>
public enum StorageProvider
{
    /// <summary><c>sqlite</c>: one embedded file, one silo (the default).</summary>
    Sqlite,
    /// <summary><c>postgres</c> (or <c>postgresql</c>): a PostgreSQL server that several silos may share.</summary>
    Postgres,
}

/// <summary><c>Levee:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// ADO.NET connection string of the provider: <c>Data Source=…</c> for SQLite,
    /// <c>Host=…;Database=…;Username=…;Password=…</c> for PostgreSQL.
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=./data/levee.db";

    /// <summary>The provider <paramref name="section"/> (<c>Levee:Storage</c>) names; an unknown name throws <see cref="FormatException"/> naming the setting.</summary>
    public static StorageProvider ProviderOf(IConfiguration section)
    {
        var provider = (section.Get<StorageOptions>() ?? new StorageOptions()).Provider;
        return provider.ToUpperInvariant() switch
        {
            "SQLITE" => StorageProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => StorageProvider.Postgres,
            _ => throw new FormatException($"Levee:Storage:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'."),
        };
    }
}
