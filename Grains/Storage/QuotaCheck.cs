namespace Levee.Grains.Storage;

/// <summary>
/// The tenant's storage quota that a commit admitting new data is checked against, in the same
/// transaction that writes it (<see cref="GrainCommit.Tenant"/> names the tenant): the commit is
/// refused with <see cref="QuotaExceededException"/> when, with it, the tenant would store more
/// than a limit. Commits without one (a worker's claim, complete or fail) are never refused, so
/// work already admitted always finishes.
/// </summary>
/// <param name="MaxExecutions">Most executions the tenant may store, or null for no limit.</param>
/// <param name="MaxEventBytes">Most event payload bytes the tenant may store, or null for no limit.</param>
/// <param name="ReserveExecutions">
/// Executions the commit does not create itself but admits (a batch's <c>runCount</c>: its children
/// are then always accepted, so the batch can seal); counted against <paramref name="MaxExecutions"/>
/// for the check only.
/// </param>
public sealed record QuotaCheck(long? MaxExecutions, long? MaxEventBytes, long ReserveExecutions = 0);
