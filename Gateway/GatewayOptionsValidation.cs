using System.Globalization;
using Levee.Gateway.RateLimits;
using Microsoft.Extensions.Options;

namespace Levee.Gateway;

/// <summary>
/// Checks <c>Levee:Gateway</c> on start, so a limit that could never work stops the host with a
/// line naming the setting instead of failing requests later. A limit left unset is off; one set
/// to zero or less is a mistake, not a way to turn it off.
/// </summary>
internal sealed class GatewayOptionsValidation : IValidateOptions<GatewayOptions>
{
    private const string RateLimit = "Levee:Gateway:RateLimit:";

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var limits = options.RateLimit;
        var failures = new List<string>();
        if (limits.RequestsPerSecond is { } rate && !(rate > 0 && rate <= RateLimitOptions.MaxRequestsPerSecond))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{RateLimit}RequestsPerSecond must be above 0 and at most {RateLimitOptions.MaxRequestsPerSecond} (got {rate}); leave it unset for no limit."));
        }
        if (limits.Burst is not null && limits.RequestsPerSecond is null)
        {
            failures.Add($"{RateLimit}Burst is set without {RateLimit}RequestsPerSecond; set both, or neither.");
        }
        AtLeastOne(failures, "Burst", limits.Burst);
        AtLeastOne(failures, "MaxStreamsPerKey", limits.MaxStreamsPerKey);
        AtLeastOne(failures, "MaxLongPollsPerKey", limits.MaxLongPollsPerKey);
        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay > GatewayOptions.MaxDrainDelay)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Levee:Gateway:DrainDelay must be from 00:00:00 to {GatewayOptions.MaxDrainDelay:c} (got {options.DrainDelay:c})."));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeastOne(List<string> failures, string setting, int? value)
    {
        if (value is < 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{RateLimit}{setting} must be at least 1 (got {value}); leave it unset for no limit."));
        }
    }
}
