using System.Text;
using System.Text.Json;

namespace Levee.Silo.Tests.Infrastructure;

/// <summary>HTTP helpers for tests that talk to a <see cref="SiloProcess"/>.</summary>
public static class SiloHttp
{
    /// <summary>POSTs JSON, asserts a 2xx, and returns the reply body.</summary>
    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
