using Xunit.Sdk;

namespace Levee.Silo.Tests.Storage;

/// <summary>
/// A fact of <see cref="CommitStoreConformance"/>: it runs once per dialect's derived class, and
/// is reported as skipped for a dialect whose class carries <see cref="PostgresTestsAttribute"/>
/// when there is no server to test against (an attribute on the shared method cannot know which
/// class it runs in; the discoverer can).
/// </summary>
[XunitTestCaseDiscoverer("Levee.Silo.Tests.Storage.ConformanceFactDiscoverer", "Silo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceFactAttribute : FactAttribute;
