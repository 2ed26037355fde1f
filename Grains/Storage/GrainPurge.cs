namespace Levee.Grains.Storage;

/// <summary>
/// Another grain removed outright with a commit, whatever its version (a deleted batch's child):
/// its state row, its log, its timers and, when it is an execution, its index row.
/// </summary>
/// <param name="Id">The grain removed.</param>
/// <param name="Index">Its execution index row, if it has one.</param>
public sealed record GrainPurge(GrainId Id, ExecutionIndexKey? Index);
