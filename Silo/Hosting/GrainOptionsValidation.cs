using Levee.Grains;
using Microsoft.Extensions.Options;

namespace Levee.Silo.Hosting;

/// <summary>
/// Checks the house ceilings (<c>Levee:Grains:Batch:*</c>) by the rules a batch request's are
/// checked by, on start: a silo never runs with a default that no request could have.
/// </summary>
internal sealed class GrainOptionsValidation : IValidateOptions<GrainOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainOptions options)
    {
        if (options.Retention is { } retention && retention <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Levee:Grains:Retention must be a positive time span (e.g. 30.00:00:00), or unset to keep everything.");
        }
        if (options.Quota.MaxExecutions is < 1)
        {
            return ValidateOptionsResult.Fail("Levee:Grains:Quota:MaxExecutions must be at least 1, or unset for no limit.");
        }
        if (options.Quota.MaxEventBytes is < 1)
        {
            return ValidateOptionsResult.Fail("Levee:Grains:Quota:MaxEventBytes must be at least 1, or unset for no limit.");
        }
        if (options.MaxBatchConcurrency < 1)
        {
            return ValidateOptionsResult.Fail("Levee:Grains:MaxBatchConcurrency must be at least 1.");
        }
        if (options.Batch.Validate(int.MaxValue, options.MaxBatchConcurrency) is not { } invalid)
        {
            return ValidateOptionsResult.Success;
        }
        // "ceilings.budget.limit" → "Levee:Grains:Batch:Budget:Limit"
        var setting = "Levee:Grains:Batch:" + string.Join(':', (invalid.Field ?? "").Split('.').Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return ValidateOptionsResult.Fail($"{setting}: {invalid.Detail}");
    }
}
