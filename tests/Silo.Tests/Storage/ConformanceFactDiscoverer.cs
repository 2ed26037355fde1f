using System.Reflection;
using Levee.Silo.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Levee.Silo.Tests.Storage;

/// <summary>Discovers a <see cref="ConformanceFactAttribute"/> test as a plain fact, or as a skipped one when its class needs a PostgreSQL that is not there.</summary>
public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        testMethod.TestClass.Class.ToRuntimeType().GetCustomAttribute<PostgresTestsAttribute>() is not null && TestPostgres.SkipReason is { } reason
            ? new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod, reason)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
}
