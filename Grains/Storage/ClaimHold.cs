namespace Levee.Grains.Storage;

/// <summary>What a claim hold stops: every child of one batch, or every execution of one queue.</summary>
public enum ClaimHoldKind
{
    /// <summary>The children of the batch named by the hold.</summary>
    Batch,
    /// <summary>The executions of the queue named by the hold.</summary>
    Queue,
}

/// <summary>
/// A paused batch or queue, as the claim query sees it: while the row exists, claims hand out
/// nothing it covers. Written by the paused grain's own commit, so it holds from the moment the
/// pause is acknowledged (a claim already past its read may still start one execution).
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Project">The project.</param>
/// <param name="Kind">Batch or queue.</param>
/// <param name="Name">The batch id or queue name.</param>
/// <param name="Held">True to set the hold, false to lift it.</param>
public sealed record ClaimHold(string Tenant, string Project, ClaimHoldKind Kind, string Name, bool Held);
