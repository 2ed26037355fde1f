namespace Levee.Errors;

/// <summary>
/// Why a command was refused. Rejections are values inside the domain, never exceptions; the
/// gateway turns them into problem+json with <see cref="Code"/>.
/// </summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Detail">A human-readable explanation naming the offending value.</param>
/// <param name="CurrentStatus">The resource's status when the conflict concerns state.</param>
[GenerateSerializer, Immutable, Alias("Levee.Rejection")]
public sealed record Rejection([property: Id(0)] string Code, [property: Id(1)] string Detail, [property: Id(2)] string? CurrentStatus = null)
{
    /// <summary>The recorded decision, for <see cref="ErrorCodes.ApprovalConflict"/>.</summary>
    [Id(3)]
    public Levee.Executions.ApprovalView? Approval { get; init; }

    /// <summary>Numeric members for the problem body (e.g. <c>line</c> and <c>index</c> of a bad NDJSON line; null is written as null).</summary>
    [Id(4)]
    public IReadOnlyDictionary<string, long?>? Extensions { get; init; }

    /// <summary>The name of the field at fault, for validation failures.</summary>
    [Id(5)]
    public string? Field { get; init; }

    /// <summary>Creates a <see cref="ErrorCodes.ValidationFailed"/> rejection for one field.</summary>
    public static Rejection Invalid(string field, string detail) =>
        new(ErrorCodes.ValidationFailed, detail) { Field = field };

    /// <summary>Creates a <see cref="ErrorCodes.NotFound"/> rejection.</summary>
    public static Rejection NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");
}
