using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Storage;

/// <summary>
/// What the silo keeps on disk (the database, its WAL, the key files, the folder holding them) is
/// its owner's only: on Unix, folders are created 0700 and files 0600 (a umask only takes bits
/// away), and ones an older silo or a copy left open to others are restricted on start,
/// with one warning each (so once: the next start finds them private). On Windows nothing is
/// done: a new file inherits its folder's ACL, which is the operator's to set.
/// </summary>
internal static partial class PrivateFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and any missing parent) 0700. An existing folder open to
    /// others is restricted only when every entry in it is the silo's (<paramref name="isTheSilos"/>
    /// of its name): the database may sit in a shared folder (<c>/tmp</c>, a working directory)
    /// that is not the silo's to lock, about which it only warns.
    /// </summary>
    public static void CreateFolder(string path, Func<string, bool> isTheSilos, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnlyFolder);
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOthers) == 0)
        {
            return;
        }
        if (Directory.EnumerateFileSystemEntries(path).All(entry => isTheSilos(Path.GetFileName(entry))))
        {
            Restrict(path, mode, logger);
        }
        else
        {
            LogFolderShared(logger, path, Octal(mode));
        }
    }

    /// <summary>Opens <paramref name="path"/>; a file this creates is 0600 from its first byte, an existing one is restricted.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, ILogger logger)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows() && mode is not (FileMode.Open or FileMode.Truncate)) // the modes that never create
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        var stream = new FileStream(path, options);
        Restrict(path, logger);
        return stream;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, created 0600 if it is new.</summary>
    public static void WriteText(string path, string text, ILogger logger)
    {
        using var writer = new StreamWriter(Open(path, FileMode.Create, FileAccess.Write, FileShare.None, logger));
        writer.Write(text);
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty and 0600, or restricts the existing file without
    /// opening it (closing a descriptor of a SQLite file would drop every POSIX lock this process
    /// holds on it).
    /// </summary>
    public static void CreateOrRestrict(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            Restrict(path, logger);
            return;
        }
        Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, logger).Dispose();
    }

    /// <summary>Restricts <paramref name="path"/> to its owner if it is a file open to others; nothing if it does not exist.</summary>
    public static void Restrict(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOthers) != 0)
        {
            Restrict(path, mode, logger);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void Restrict(string path, UnixFileMode mode, ILogger logger)
    {
        var restricted = mode & ~GroupAndOthers;
        File.SetUnixFileMode(path, restricted);
        LogRestricted(logger, path, Octal(mode), Octal(restricted));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was open to other users (mode {Mode}); restricted to its owner ({Restricted})")]
    private static partial void LogRestricted(ILogger logger, string path, string mode, string restricted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The data folder {Path} is open to other users (mode {Mode}) but holds files that are not the silo's, " +
                                                       "so it is left as it is (the silo's own files in it are owner-only); give the database a folder of its own, or chmod 700 it")]
    private static partial void LogFolderShared(ILogger logger, string path, string mode);
}
