using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Levee.Silo.Storage.Postgres;

/// <summary>
/// Owns the connection pool (an <see cref="NpgsqlDataSource"/>) and migrates the schema on start.
/// Several silos may start at once on one database: each migrates inside a transaction holding
/// one advisory lock, so the second waits for the first and then finds nothing left to do. A
/// connection string that does not parse, or a server that does not answer or refuses the silo,
/// stops the start with <see cref="StorageUnavailableException"/>, whose message names the server
/// (never the password).
/// </summary>
internal sealed partial class PostgresDatabase : IStorageStartup, IDisposable
{
    private readonly ILogger<PostgresDatabase> _logger;

    public PostgresDatabase(IOptions<PostgresOptions> options, ILogger<PostgresDatabase> logger)
    {
        _logger = logger;
        Options = options.Value;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(Options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StorageUnavailableException(
                $"Levee:Storage:ConnectionString is not a valid PostgreSQL connection string ({ex.Message.TrimEnd('.')}); write it as Host=…;Database=…;Username=…;Password=….", ex);
        }
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new StorageUnavailableException("Levee:Storage:ConnectionString names no PostgreSQL server; write it as Host=…;Database=…;Username=…;Password=….",
                new ArgumentException("Host is missing.", nameof(options)));
        }
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        // The writer's and the stores' few statements are prepared on every pooled connection.
        builder.MaxAutoPrepare = Math.Max(builder.MaxAutoPrepare, 64);
        DataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        // The silo's own files (the development keys) are its owner's only, as beside a SQLite file.
        PrivateFiles.CreateFolder(DataFolder, entry => entry.EndsWith(".key", StringComparison.Ordinal), logger);
        try
        {
            Migrate();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            DataSource.Dispose();
            throw new StorageUnavailableException(
                $"{Description} cannot be used ({OneLine(ex)}); check that it is running and Levee:Storage:ConnectionString.", ex);
        }
    }

    public PostgresOptions Options { get; }
    public NpgsqlDataSource DataSource { get; }

    /// <summary>This store's name on the leases it takes (timers, outbox): unique per start, so a restarted silo does not inherit a dead one's claims early.</summary>
    public string Owner { get; }

    public string Description { get; }
    public string DataFolder => Path.GetFullPath(Options.DataFolder);

    /// <summary>A command with positional parameters (<c>$1</c>…) on a pooled connection, returned when the command's reader is disposed.</summary>
    public NpgsqlCommand Command(string sql, params ReadOnlySpan<object?> values)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    /// <summary>The rows of a query, each read by <paramref name="row"/>.</summary>
    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }
        return rows;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(sql, values);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private void Migrate()
    {
        using var connection = DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, PostgresSql.LockMigrations, PostgresSql.MigrationLock);
        Execute(connection, PostgresSql.CreateSchemaVersion);
        using var read = new NpgsqlCommand(PostgresSql.ReadSchemaVersion, connection);
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= PostgresSql.Migrations.Length; version++)
        {
            Execute(connection, PostgresSql.Migrations[version - 1]);
            Execute(connection, PostgresSql.WriteSchemaVersion, version);
            LogMigrated(Description, version);
        }
        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, string sql, params ReadOnlySpan<object> values)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        command.ExecuteNonQuery();
    }

    /// <summary>The failure's own words on one line (a refused connection, a wrong password, an unknown database).</summary>
    private static string OneLine(Exception exception)
    {
        var message = exception is PostgresException postgres ? postgres.MessageText : (exception.InnerException ?? exception).Message;
        return message.ReplaceLineEndings(" ").TrimEnd('.');
    }

    public void Dispose() => DataSource.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: schema migrated to version {Version}")]
    private partial void LogMigrated(string database, int version);
}
