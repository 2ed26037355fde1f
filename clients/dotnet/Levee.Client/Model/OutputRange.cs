namespace Levee.Client;

/// <summary>The sequence numbers the appended output chunks got.</summary>
/// <param name="FirstSeq">The first chunk's.</param>
/// <param name="LastSeq">The last chunk's.</param>
public sealed record OutputRange(long FirstSeq, long LastSeq);
