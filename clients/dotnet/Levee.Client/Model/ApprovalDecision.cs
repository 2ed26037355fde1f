namespace Levee.Client;

/// <summary>Reply to a decision.</summary>
/// <param name="Approval">The approval with its recorded decision.</param>
/// <param name="AlreadyDecided">True when this decision had been recorded before.</param>
public sealed record ApprovalDecision(Approval Approval, bool AlreadyDecided);
