namespace Levee.Runtime;

/// <summary>Marker for every grain interface: an addressable, single-threaded object.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (Orleans: <c>IGrainWithStringKey</c>).</summary>
public interface IGrainWithStringKey : IGrain;
