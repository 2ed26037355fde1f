namespace Levee.Client;

/// <summary>What <c>POST /v1/events</c> did with the reports.</summary>
/// <param name="Applied">Reports that changed something.</param>
/// <param name="Ignored">Late, duplicate or stale reports.</param>
/// <param name="Unknown">Reports of executions that do not exist.</param>
/// <param name="CostsIgnored">Costs that were not numbers of at least 0.</param>
public sealed record EventsAccepted(int Applied, int Ignored, int Unknown, int CostsIgnored);
