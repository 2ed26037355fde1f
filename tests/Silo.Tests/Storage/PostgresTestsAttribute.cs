namespace Levee.Silo.Tests.Storage;

/// <summary>Marks a conformance class that needs a PostgreSQL server (see <see cref="ConformanceFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgresTestsAttribute : Attribute;
