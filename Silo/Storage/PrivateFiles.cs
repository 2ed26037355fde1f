namespace Levee.Silo.Storage;

/// <summary>
/// What the silo keeps on disk (the database, its WAL, the key files, the folder holding them) is
/// its owner's only: on Unix, folders are created 0700 and files 0600 whatever the umask allows
/// beyond that. On Windows nothing is done: a new file inherits its folder's ACL, which is the
/// operator's to set.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and any missing parent) 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnlyFolder);
    }

    /// <summary>Opens <paramref name="path"/>; a file this creates is 0600 from its first byte.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows() && mode is not (FileMode.Open or FileMode.Truncate)) // the modes that never create
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, created 0600 if it is new.</summary>
    public static void WriteText(string path, string text)
    {
        using var writer = new StreamWriter(Open(path, FileMode.Create, FileAccess.Write, FileShare.None));
        writer.Write(text);
    }
}
