namespace Levee.Silo.Storage.Sqlite;

/// <summary>SQLite settings.</summary>
public sealed class SqliteOptions
{
    /// <summary>ADO.NET connection string; the file's folder is created on start (0700 on Unix, the file 0600).</summary>
    public string ConnectionString { get; set; } = "Data Source=./data/levee.db";

    /// <summary>Most grain commands in one group commit.</summary>
    public int MaxCommitBatch { get; set; } = 1024;

    /// <summary>Read connections kept open.</summary>
    public int ReadConnections { get; set; } = 8;
}
