using Levee.Client;
using Levee.Client.Worker;
using Levee.Samples.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A worker for the "images" queue. Settings: Levee:Url (default http://127.0.0.1:5080) and
// Levee:ApiKey (default: the development tenant key the silo wrote to ./data/dev-tenant.key),
// from the command line (--Levee:ApiKey=...) or the environment (Levee__ApiKey=...).
var builder = Host.CreateApplicationBuilder(args);
// One line per job from the worker host; the HTTP client's and the retry pipeline's lines only when something goes wrong.
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
var url = new Uri(builder.Configuration["Levee:Url"] ?? "http://127.0.0.1:5080");
var key = builder.Configuration["Levee:ApiKey"] ?? DevelopmentKey.Read();

builder.Services.AddLeveeClient(o => (o.BaseAddress, o.ApiKey) = (url, key));
builder.Services.AddLeveeWorker(o => o.Queue("images").Concurrency(4).Handle<ResizeJob>(async (job, ctx, ct) =>
{
    // Large images need a person's yes: the first delivery asks and suspends; the next one,
    // after the decision, gets it here and goes on.
    if (job.Width > 4000 && !await ctx.RequireApprovalAsync("large-image", "resize", new { job.Url, job.Width }, cancellationToken: ct))
    {
        return JobResult.Fail($"Resizing {job.Url} to {job.Width}px was denied.", "denied", retryable: false);
    }
    await ctx.AppendOutputAsync([new { progress = 0.5 }], ct);
    await Task.Delay(TimeSpan.FromMilliseconds(200), ct); // the work
    return JobResult.Complete(ctx.ToJson(new Resized(job.Url, job.Width, $"{job.Url}@{job.Width}w")));
}));

await builder.Build().RunAsync();
