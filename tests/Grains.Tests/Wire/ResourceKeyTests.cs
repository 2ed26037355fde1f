using Xunit;

namespace Levee.Grains.Tests.Wire;

/// <summary>One key type, one format, one parse.</summary>
public sealed class ResourceKeyTests
{
    [Theory]
    [InlineData("acme", "prod", "order-1")]
    [InlineData("t", "p", "bat_01J.17")]
    [InlineData("t", "p", "a/b/c")]
    public void Format_ThenParse_GivesTheSameKey(string tenant, string project, string id)
    {
        var key = new ResourceKey(tenant, project, id);
        Assert.Equal($"{tenant}/{project}/{id}", key.ToString());
        Assert.Equal(key, ResourceKey.Parse(key.ToString()));
        Assert.Equal(new ResourceKey(tenant, project, "other"), key.With("other"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("t")]
    [InlineData("t/p")]
    [InlineData("t/p/")]
    [InlineData("/p/id")]
    [InlineData("t//id")]
    public void Parse_NotTenantProjectId_Throws(string key)
    {
        Assert.Throws<FormatException>(() => ResourceKey.Parse(key));
    }
}
