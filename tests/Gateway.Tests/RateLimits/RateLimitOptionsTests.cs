using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Tests.RateLimits;

/// <summary><c>Levee:Gateway:RateLimit</c> is checked when the host starts, as both hosts bind it (<c>AddLeveeGateway</c>).</summary>
public sealed class RateLimitOptionsTests
{
    private const string Section = "Levee:Gateway:RateLimit:";

    [Theory]
    [InlineData("RequestsPerSecond", "0")]
    [InlineData("RequestsPerSecond", "-1")]
    [InlineData("RequestsPerSecond", "2000000")]
    [InlineData("Burst", "0")]
    [InlineData("MaxStreamsPerKey", "0")]
    [InlineData("MaxLongPollsPerKey", "-2")]
    public async Task Start_BadValue_FailsNamingTheSetting(string setting, string value)
    {
        await using var app = Build(new() { [Section + "RequestsPerSecond"] = "10", [Section + setting] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(Section + setting, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BurstWithoutRequestsPerSecond_Fails()
    {
        await using var app = Build(new() { [Section + "Burst"] = "5" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(Section + "RequestsPerSecond", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_GoodValues_Starts()
    {
        await using var app = Build(new()
        {
            [Section + "RequestsPerSecond"] = "0.5", [Section + "Burst"] = "1", [Section + "MaxStreamsPerKey"] = "1", [Section + "MaxLongPollsPerKey"] = "3",
        });

        await app.StartAsync();
        await app.StopAsync();
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLeveeGateway(builder.Configuration);
        return builder.Build();
    }
}
