using System.Net.Http.Json;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Hosting;

/// <summary>A real silo process on PostgreSQL (<c>Levee:Storage:Provider=postgres</c>), driven over HTTP, on a database of its own.</summary>
public sealed class PostgresSiloTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is null)
        {
            _connectionString = await TestPostgres.CreateDatabaseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_connectionString.Length > 0)
        {
            await TestPostgres.DropDatabaseAsync(_connectionString);
        }
        _dir.Dispose();
    }

    private Dictionary<string, string> Settings => new() { ["Levee:Storage:Provider"] = "postgres", ["Levee:Storage:ConnectionString"] = _connectionString };

    [PostgresFact]
    public async Task Execution_CreatedClaimedAndCompleted_OverHttp_Succeeds()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path, Settings);
        using var client = silo.CreateClient();

        await RunOneAsync(client, "pg-1");

        var view = await client.GetFromJsonAsync<JsonElement>(new Uri("/v1/executions/pg-1", UriKind.Relative));
        Assert.Equal("succeeded", view.GetProperty("status").GetString());
        Assert.Equal(7, view.GetProperty("output").GetProperty("n").GetInt32());
    }

    [PostgresFact]
    public async Task Execution_AfterTheSiloRestarts_IsReadBackFromPostgres()
    {
        await using (var silo = await SiloProcess.StartAsync(_dir.Path, Settings))
        {
            using var client = silo.CreateClient();
            await RunOneAsync(client, "pg-2");
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path, Settings);
        using var after = restarted.CreateClient();
        var view = await after.GetFromJsonAsync<JsonElement>(new Uri("/v1/executions/pg-2", UriKind.Relative));

        Assert.Equal("succeeded", view.GetProperty("status").GetString());
        Assert.Equal(7, view.GetProperty("output").GetProperty("n").GetInt32());
    }

    private static async Task RunOneAsync(HttpClient client, string id)
    {
        await client.PostJsonAsync("/v1/executions", $$"""{"id":"{{id}}","task":"t","queue":"pg"}""");
        var claims = (await client.PostJsonAsync("/v1/queues/pg/claim", """{"workerId":"w","waitMs":10000}""")).GetProperty("claims");
        Assert.Equal(1, claims.GetArrayLength());
        Assert.Equal(id, claims[0].GetProperty("execution").GetProperty("id").GetString());
        var lease = claims[0].GetProperty("leaseId").GetString();
        await client.PostJsonAsync($"/v1/executions/{id}/complete", $$$"""{"leaseId":"{{{lease}}}","output":{"n":7}}""");
    }
}
