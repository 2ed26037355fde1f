namespace Levee.Client;

/// <summary>Reply to a heartbeat.</summary>
/// <param name="LeaseExpiresAt">The extended expiry.</param>
/// <param name="CancelRequested">True once the execution was cancelled: stop working.</param>
public sealed record HeartbeatResult(DateTimeOffset LeaseExpiresAt, bool CancelRequested);
