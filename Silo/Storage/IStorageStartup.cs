namespace Levee.Silo.Storage;

/// <summary>
/// The opened storage as the silo's start-up sees it: resolving it opens the database and
/// migrates its schema (so a fault stops the silo before anything is served).
/// </summary>
internal interface IStorageStartup
{
    /// <summary>What the silo logs as its storage (a file path, or a server and database; never a password).</summary>
    string Description { get; }

    /// <summary>The folder of the silo's own files (the development keys).</summary>
    string DataFolder { get; }
}
