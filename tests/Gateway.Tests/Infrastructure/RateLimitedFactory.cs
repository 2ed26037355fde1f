using System.Globalization;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// A silo whose gateway limits every tenant key: a burst of <see cref="Burst"/> requests that
/// refills one request per 100 s (nothing refills while a test runs, so outcomes do not depend on
/// timing), one event stream and one long poll at a time.
/// </summary>
public sealed class RateLimitedFactory : LeveeFactory
{
    public const int Burst = 2;

    /// <summary>What the bucket refills per second: one token per 100 s.</summary>
    public const double RequestsPerSecond = 0.01;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Levee:Gateway:RateLimit:RequestsPerSecond"] = RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["Levee:Gateway:RateLimit:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
        ["Levee:Gateway:RateLimit:MaxStreamsPerKey"] = "1",
        ["Levee:Gateway:RateLimit:MaxLongPollsPerKey"] = "1",
    };
}

[CollectionDefinition(Name)]
public sealed class RateLimitedCollection : ICollectionFixture<RateLimitedFactory>
{
    public const string Name = "rate-limited silo";
}
