using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.OpenApi;

/// <summary>
/// The served document, checked by the tools its users run: <c>redocly lint</c> with its
/// recommended rules and no config file (zero errors; warnings allowed), then a client generated
/// by openapi-typescript that <c>tsc</c> compiles against <c>tests/openapi/usage.ts</c>.
/// </summary>
[Collection(LeveeCollection.Name)]
public sealed class OpenApiLintTests(LeveeFactory factory)
{
    [NpmToolsFact]
    public async Task ServedDocument_RedoclyLintAndGeneratedTypeScript_HaveNoErrors()
    {
        Assert.True(OpenApiTools.Installed, $"CI=true needs the OpenAPI tools: run 'npm ci' in {OpenApiTools.Directory}.");
        using var http = factory.CreateClient();
        var document = await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var generated = Directory.CreateDirectory(Path.Combine(OpenApiTools.Directory, "generated"));
        await File.WriteAllTextAsync(Path.Combine(generated.FullName, "openapi.json"), document);

        var (exitCode, output) = await OpenApiTools.RunScriptAsync("check", TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"npm run check exited {exitCode}:\n{output}");
        Assert.Contains("Your API description is valid", output, StringComparison.Ordinal);
    }
}
