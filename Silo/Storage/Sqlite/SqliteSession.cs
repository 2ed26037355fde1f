using Microsoft.Data.Sqlite;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>An open connection with its prepared commands, reused by SQL text.</summary>
internal sealed class SqliteSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = [];

    private SqliteTransaction? _transaction;

    public SqliteConnection Connection { get; } = connection;

    /// <summary>Starts an immediate (write-locking) transaction that every command of this session joins until disposed.</summary>
    public SqliteTransaction Begin()
    {
        _transaction = Connection.BeginTransaction(deferred: false);
        return _transaction;
    }

    /// <summary>Forgets the transaction once it is committed or rolled back.</summary>
    public void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>The prepared command for <paramref name="sql"/>, parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>Executes a statement with named parameters.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        With(sql, parameters).ExecuteNonQuery();

    /// <summary>The command for <paramref name="sql"/> with the given parameters bound.</summary>
    public SqliteCommand With(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        Connection.Dispose();
    }
}
