namespace Levee.Silo.Storage;

/// <summary>The configured database cannot be used at start-up: a connection string that does not parse, or a server that does not answer or refuses the silo.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
