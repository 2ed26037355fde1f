namespace Levee.Silo.Tests.Infrastructure;

/// <summary>A fact that needs a PostgreSQL server (<see cref="TestPostgres"/>): skipped, saying how to get one, where there is none; under <c>CI=true</c> it always runs.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
