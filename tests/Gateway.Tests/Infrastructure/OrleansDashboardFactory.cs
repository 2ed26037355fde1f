namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>A silo with the Orleans Dashboard switched on (<c>Levee:Dashboard:Orleans</c>).</summary>
public sealed class OrleansDashboardFactory : LeveeFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Levee:Dashboard:Orleans"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class OrleansDashboardCollection : ICollectionFixture<OrleansDashboardFactory>
{
    public const string Name = "silo with the Orleans Dashboard";
}
