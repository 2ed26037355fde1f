using Levee.Gateway;
using Levee.Security;
using Levee.Silo.Hosting;
using Levee.Silo.Storage.Sqlite;

// appsettings.json ships beside the binary; relative data paths (./data) stay relative to the
// working directory, where the operator started the silo.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
}
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Bodies are limited per endpoint (JSON 1 MiB; NDJSON streams per line), not globally.
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.AddServerHeader = false;
});
builder.Services.AddLeveeSilo(builder.Configuration);
builder.Services.AddLeveeGateway(builder.Configuration);

var app = builder.Build();
var generateDevKeys = string.IsNullOrEmpty(app.Configuration["Levee:AdminKey"]);

// Opening the database migrates its schema before the first request is served.
var database = app.Services.GetRequiredService<SqliteDatabase>();
if (generateDevKeys)
{
    var dataDirectory = DevelopmentKeys.DataDirectory(database);
    var adminKey = DevelopmentKeys.EnsureAdminKey(app.Configuration, dataDirectory);
    var tenantKey = await DevelopmentKeys.EnsureTenantKeyAsync(app.Services.GetRequiredService<IApiKeyStore>(), dataDirectory, CancellationToken.None);
    Console.WriteLine($"""
        Levee development keys (set Levee:AdminKey to disable):
          admin key:  {adminKey}
          tenant key: {tenantKey}   (tenant 'dev', project 'default')
        """);
}
app.MapLeveeGateway();
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Levee silo ready on {Urls} (storage: {Database})", string.Join(", ", app.Urls), database.FilePath));
await app.RunAsync();

/// <summary>The silo host (public so tests can start it in-process).</summary>
public partial class Program;
