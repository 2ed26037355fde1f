namespace Levee.Client;

/// <summary>An execution handed to a worker.</summary>
/// <param name="Execution">The resource, with every approval decision and batch summary so far.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="LeaseId">The lease to present on every write.</param>
/// <param name="LeaseExpiresAt">When the lease lapses without a heartbeat.</param>
public sealed record Claim(Execution Execution, int Attempt, string LeaseId, DateTimeOffset LeaseExpiresAt);
