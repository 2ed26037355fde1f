using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// A silo with telemetry switched on (its OTLP endpoint is a closed local port, so export fails
/// quietly) and every finished span also kept in <see cref="Spans"/> by an in-memory exporter.
/// </summary>
public sealed class TracedFactory : LeveeFactory
{
    private readonly InMemoryList _spans = new();

    public IReadOnlyCollection<Activity> Spans => _spans.Items;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Levee:Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:9",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(_spans))));
    }

    /// <summary>An exporter that keeps what it is given (spans arrive from many threads).</summary>
    private sealed class InMemoryList : BaseExporter<Activity>
    {
        public ConcurrentQueue<Activity> Items { get; } = new();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                Items.Enqueue(span);
            }
            return ExportResult.Success;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TracedCollection : ICollectionFixture<TracedFactory>
{
    public const string Name = "traced silo";
}
