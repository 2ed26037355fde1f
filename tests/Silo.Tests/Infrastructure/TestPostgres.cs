using Npgsql;

namespace Levee.Silo.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the PostgreSQL tests run against, named by <c>LEVEE_TEST_POSTGRES</c>
/// (e.g. <c>Host=127.0.0.1;Port=5432;Username=levee;Password=levee;Database=levee_test</c>; the
/// role needs CREATEDB). Each store under test gets a database of its own, created here and
/// dropped on dispose, so tests never see each other's rows. Without the variable the tests are
/// reported as skipped; under <c>CI=true</c> they run, and fail saying it is missing.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LEVEE_TEST_POSTGRES";

    private static string? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the PostgreSQL tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => Configured is null && !InCi
        ? $"No PostgreSQL to test against: set {Variable} to a connection string whose role may CREATE DATABASE (.ci/run starts one)."
        : null;

    /// <summary>The server's connection string (its database is where new databases are created from).</summary>
    public static string ConnectionString => Configured
        ?? throw new InvalidOperationException($"{Variable} is not set; under CI=true the PostgreSQL tests must run against a server.");

    /// <summary>Creates an empty database of its own and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = $"levee_t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database <see cref="CreateDatabaseAsync"/> made, closing whatever still holds a connection to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
