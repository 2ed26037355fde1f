namespace Levee.Client;

/// <summary>What a waiting execution waits for.</summary>
/// <param name="Kind"><c>approval</c> or <c>batch</c>.</param>
/// <param name="Id">The tool call id or the batch id.</param>
public sealed record WaitingFor(string Kind, string Id);
