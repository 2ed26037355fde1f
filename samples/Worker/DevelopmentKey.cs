namespace Levee.Samples.Worker;

/// <summary>The tenant key a development silo writes on its first start, read from where `dotnet run --project Silo` keeps it.</summary>
internal static class DevelopmentKey
{
    public static string Read()
    {
        const string path = "data/dev-tenant.key";
        return File.Exists(path)
            ? File.ReadAllText(path).Trim()
            : throw new InvalidOperationException($"No API key: set Levee:ApiKey, or run from the folder where the silo created {path}.");
    }
}
