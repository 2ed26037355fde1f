namespace Levee.Gateway.OpenApi;

/// <summary>
/// Documents a query parameter that is bound as a string but means an integer: endpoints parse
/// such parameters themselves (<see cref="Endpoints.QueryInt"/>), so a bad value is a
/// <c>validation_failed</c> problem naming it rather than the binder's bare 400, and this tells
/// the OpenAPI document (<see cref="IntegerQueryTransformer"/>) what they accept, so generated
/// clients type them as numbers.
/// </summary>
/// <param name="minimum">The smallest value accepted.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class IntegerQueryAttribute(long minimum) : Attribute
{
    /// <summary>The smallest value accepted.</summary>
    public long Minimum { get; } = minimum;

    /// <summary>The largest value accepted; 0 when it is configurable and left to the description.</summary>
    public long Maximum { get; init; }
}
