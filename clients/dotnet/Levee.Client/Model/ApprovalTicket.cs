namespace Levee.Client;

/// <summary>Reply to an approval request.</summary>
/// <param name="Token">The hook token (<c>{executionId}:{toolCallId}</c>) an approver decides with.</param>
/// <param name="Approval">The approval.</param>
public sealed record ApprovalTicket(string Token, Approval Approval);
