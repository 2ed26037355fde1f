using Levee.Client.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Levee.Client;

/// <summary>Registers <see cref="LeveeClient"/> as a typed <see cref="HttpClient"/> with the retry pipeline.</summary>
public static class LeveeServiceCollectionExtensions
{
    /// <summary>Adds <see cref="LeveeClient"/> configured by <paramref name="configure"/> (base address, key, retries).</summary>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddLeveeClient(this IServiceCollection services, Action<LeveeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LeveeClientOptions>().Configure(configure).Validate(o =>
        {
            o.Validate();
            return true;
        });
        var builder = services.AddHttpClient<LeveeClient>((provider, http) =>
            LeveeClient.Configure(http, provider.GetRequiredService<IOptions<LeveeClientOptions>>().Value));
        builder.AddResilienceHandler(LeveeResilience.PipelineName, (pipeline, context) =>
            LeveeResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<LeveeClientOptions>>().Value));
        // Added after the retry handler, so it runs inside it: each attempt reads its own reply.
        builder.AddHttpMessageHandler(() => new ResponseBufferingHandler());
        return builder;
    }
}
