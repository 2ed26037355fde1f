namespace Levee.Silo.Tests.Infrastructure;

/// <summary>A fact about Unix file modes: reported as skipped on Windows, where the silo leaves access to the folder's ACL.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file modes do not exist on Windows.";
        }
    }
}
