using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>
/// Owns the SQLite file: creates its folder (0700) and the file (0600, see <see cref="PrivateFiles"/>),
/// takes the file's silo lock, migrates the schema, and lends read connections (each with its
/// prepared statements) from a small pool. WAL lets reads run beside the single writer
/// (<see cref="SqliteCommitWriter"/>). SQLite is one silo:
/// the lock (<c>levee.db.lock</c>, released by the OS when the process dies, also by SIGKILL)
/// keeps a second silo off the file, whose group commit and timers assume they are alone.
/// </summary>
internal sealed partial class SqliteDatabase : IStorageStartup, IDisposable
{
    private static int _initialized;
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly FileStream _lock;

    public SqliteDatabase(IOptions<SqliteOptions> options, ILogger<SqliteDatabase> logger)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
        }
        _logger = logger;
        Options = options.Value;
        var builder = new SqliteConnectionStringBuilder(Options.ConnectionString)
        {
            // We pool sessions ourselves so each keeps its prepared statements.
            Pooling = false,
            Mode = SqliteOpenMode.ReadWriteCreate,
        };
        ConnectionString = builder.ToString();
        FilePath = Path.GetFullPath(builder.DataSource);
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            var name = Path.GetFileName(FilePath);
            // The silo's files: the database's (levee.db, -wal, -shm, .lock) and the development keys.
            PrivateFiles.CreateFolder(directory, entry => entry.StartsWith(name, StringComparison.Ordinal) || entry.EndsWith(".key", StringComparison.Ordinal),
                logger);
        }
        _lock = Lock(FilePath, logger);
        // SQLite gives the -wal and -shm files it creates the database file's mode, so creating that
        // file 0600 before SQLite opens it makes all three private.
        PrivateFiles.CreateOrRestrict(FilePath, logger);
        PrivateFiles.Restrict(FilePath + "-wal", logger);
        PrivateFiles.Restrict(FilePath + "-shm", logger);
        Migrate();
    }

    public SqliteOptions Options { get; }
    public string ConnectionString { get; }
    public string FilePath { get; }
    public string Description => FilePath;
    public string DataFolder => Path.GetDirectoryName(FilePath)!;

    /// <summary>Opens a connection with the durability settings every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqliteSql.ConnectionPragmas;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> on a pooled read session.</summary>
    public T Read<T>(Func<SqliteSession, T> work)
    {
        var session = _readers.TryTake(out var pooled) ? pooled : new SqliteSession(Open());
        try
        {
            return work(session);
        }
        finally
        {
            if (_readers.Count < Options.ReadConnections)
            {
                _readers.Add(session);
            }
            else
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in its own write transaction on a fresh connection (for rare writes outside grain commits).</summary>
    public T Write<T>(Func<SqliteSession, T> work)
    {
        using var session = new SqliteSession(Open());
        var transaction = session.Begin();
        var result = work(session);
        transaction.Commit();
        session.EndTransaction();
        return result;
    }

    private void Migrate()
    {
        using var session = new SqliteSession(Open());
        session.Execute(SqliteSql.EnableWal);
        session.Execute(SqliteSql.CreateSchemaVersion);
        var transaction = session.Begin();
        var current = Convert.ToInt32(session.Command(SqliteSql.ReadSchemaVersion).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= SqliteSql.Migrations.Length; version++)
        {
            session.Execute(SqliteSql.Migrations[version - 1]);
            session.Execute(SqliteSql.WriteSchemaVersion, ("$version", version));
            LogMigrated(FilePath, version);
        }
        transaction.Commit();
        session.EndTransaction();
    }

    public void Dispose()
    {
        while (_readers.TryTake(out var session))
        {
            session.Dispose();
        }
        _lock.Dispose();
    }

    private static FileStream Lock(string databasePath, ILogger logger)
    {
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix.
            return PrivateFiles.Open(databasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, logger);
        }
        catch (IOException ex)
        {
            throw new StorageInUseException(databasePath, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite {Path}: schema migrated to version {Version}")]
    private partial void LogMigrated(string path, int version);
}
