using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>A thin HTTP client for tests: JSON in, (status, JSON, headers) out.</summary>
public sealed class Api(HttpClient http, string? key)
{
    public HttpClient Http => http;
    public string? Key => key;

    public Api As(string? otherKey) => new(http, otherKey);

    public Task<Reply> GetAsync(string path, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Get, path, null, headers);

    public Task<Reply> PostAsync(string path, string? json, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Post, path, json, headers);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, []);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, (string Name, string Value)[] headers, string contentType = "application/json",
        CancellationToken cancellationToken = default)
    {
        using var request = Request(method, path, headers);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        return await Reply.ReadAsync(response, cancellationToken);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}

public sealed record Reply(HttpStatusCode Status, JsonElement Body, string Text, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public string? MediaType => ContentHeaders.ContentType?.MediaType;

    /// <summary>Reads a response to its end.</summary>
    public static async Task<Reply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var body = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return new Reply(response.StatusCode, body, text, response.Headers, response.Content.Headers);
    }

    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var c) ? c.GetString() : null;

    public string? Str(string name) => Body.GetProperty(name).GetString();

    public long Long(string name) => Body.GetProperty(name).GetInt64();

    /// <summary>Asserts a problem+json reply with the given status and code.</summary>
    public Reply Problem(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Text}"
            + (Status == HttpStatusCode.InternalServerError ? "\n" + ServerErrors.Describe() : ""));
        Assert.Equal("application/problem+json", MediaType);
        Assert.Equal(code, Code);
        return this;
    }

    public Reply Is(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}"
            + (Status == HttpStatusCode.InternalServerError ? "\n" + ServerErrors.Describe() : ""));
        return this;
    }
}
