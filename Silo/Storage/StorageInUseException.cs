namespace Levee.Silo.Storage;

/// <summary>The embedded database is held by another silo (SQLite is one silo).</summary>
public sealed class StorageInUseException(string path, Exception inner)
    : Exception($"{path} is in use by another silo (SQLite is one silo); stop it, or point Levee:Storage:ConnectionString at another file.", inner)
{
    /// <summary>The database file.</summary>
    public string Path { get; } = path;
}
