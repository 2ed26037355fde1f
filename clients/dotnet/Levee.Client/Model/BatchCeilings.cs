namespace Levee.Client;

/// <summary>What stops a batch early (every field optional).</summary>
/// <param name="DeadlineMs">Aborted when not terminal this long after creation.</param>
/// <param name="MaxFailureRate">Aborted above this fraction of failed children (0..1).</param>
/// <param name="MinFinished">Children finished before the failure rate counts.</param>
/// <param name="MaxConsecutiveFailures">Aborted after this many failures in a row.</param>
/// <param name="MaxConcurrency">Most children holding a lease at once.</param>
/// <param name="Budget">Aborted once the children's cost reaches it.</param>
public sealed record BatchCeilings(
    long? DeadlineMs = null, double? MaxFailureRate = null, int? MinFinished = null, int? MaxConsecutiveFailures = null, int? MaxConcurrency = null,
    BatchBudget? Budget = null);

/// <summary>A batch's cost limit.</summary>
/// <param name="Limit">The most the children may cost together.</param>
/// <param name="Unit">Its unit (free text, e.g. <c>usd</c>).</param>
public sealed record BatchBudget(decimal Limit, string Unit);
