using System.Globalization;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>A silo whose tenants may each store <see cref="MaxExecutions"/> executions and <see cref="MaxEventBytes"/> event bytes.</summary>
public sealed class QuotaFactory : LeveeFactory
{
    public const int MaxExecutions = 3;
    public const int MaxEventBytes = 20_000;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Levee:Grains:Quota:MaxExecutions"] = MaxExecutions.ToString(CultureInfo.InvariantCulture),
        ["Levee:Grains:Quota:MaxEventBytes"] = MaxEventBytes.ToString(CultureInfo.InvariantCulture),
    };
}

[CollectionDefinition(Name)]
public sealed class QuotaCollection : ICollectionFixture<QuotaFactory>
{
    public const string Name = "silo with quotas";
}
