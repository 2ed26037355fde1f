using Levee.Gateway;
using Levee.Gateway.Hosting;
using Levee.Grains.Storage;
using Levee.Silo.Hosting;
using Levee.Silo.Storage;

// appsettings.json ships beside the binary; relative data paths (./data) stay relative to the
// working directory, where the operator started the silo.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
}
builder.WebHost.UseLeveeKestrel(builder.Configuration);
if ((StartupChecks.InvalidTelemetry(builder.Configuration) ?? StartupChecks.InvalidStorage(builder.Configuration)) is { } settingError)
{
    Console.Error.WriteLine(settingError);
    return 1;
}
builder.UseOrleans(silo => silo.UseLeveeCluster(builder.Configuration).AddLevee(builder.Configuration));
builder.Services.AddLeveeGateway(builder.Configuration);

if (StartupChecks.PortsInUse(builder.Configuration) is { } portError)
{
    Console.Error.WriteLine(portError);
    return 1;
}
try
{
    var app = builder.Build();
    // Settings that fail their checks stop the silo here, as one line, before the host starts. A
    // throwaway instance: the options themselves are first read after the development keys are set.
    _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsFactory<Levee.Grains.GrainOptions>>()
        .Create(Microsoft.Extensions.Options.Options.DefaultName);
    // Opening the database (SQLite takes its file's lock) migrates its schema before anything is served.
    var database = app.Services.GetRequiredService<IStorageStartup>();
    if (string.IsNullOrEmpty(app.Configuration["Levee:AdminKey"]))
    {
        var keys = new DevelopmentKeys(database.DataFolder, Console.Out, app.Services.GetRequiredService<ILogger<DevelopmentKeys>>());
        await keys.EnsureAsync(app.Configuration, app.Services.GetRequiredService<IApiKeyStore>(), app.Services.GetRequiredService<TimeProvider>(),
            CancellationToken.None);
    }
    app.MapLeveeGateway();
    if (OrleansDashboard.IsEnabled(app.Configuration))
    {
        OrleansDashboard.MapBehindAdmin(app);
    }
    app.Lifetime.ApplicationStarted.Register(() =>
        app.Logger.LogInformation("Levee silo ready on {Urls} (storage: {Database})", string.Join(", ", app.Urls), database.Description));
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupChecks.Describe(ex) is { } line)
{
    Console.Error.WriteLine(line);
    return 1;
}

/// <summary>The silo host (public so tests can start it in-process).</summary>
public partial class Program;
