using Levee.Runtime;

namespace Levee.Silo.Runtime;

/// <summary>The context handed to a grain's constructor.</summary>
internal sealed record GrainContext(GrainId Id) : IGrainContext;
