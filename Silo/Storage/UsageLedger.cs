using Levee.Grains.Storage;

namespace Levee.Silo.Storage;

/// <summary>
/// The writer thread's account of what each tenant stores (the <c>tenant_usage</c> rows): the
/// committed figures of the tenants it has checked a quota for, and what the open group commit
/// adds. A quota is checked against both, so commands in one group cannot pass a limit together.
/// Exact for as long as the ledger lives: SQLite keeps one for the writer, which is alone on its file
/// (the silo lock); PostgreSQL takes a fresh one per transaction, whose figures are read with the
/// tenants' rows locked, since other silos write them too.
/// </summary>
internal sealed class UsageLedger
{
    /// <summary>Committed usage of the tenants read so far; a tenant's entry follows every commit it is part of.</summary>
    private readonly Dictionary<string, TenantUsage> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantUsage> _pending = new(StringComparer.Ordinal);

    /// <summary>What the open transaction changes, per tenant (written with it).</summary>
    public IReadOnlyDictionary<string, TenantUsage> Pending => _pending;

    /// <summary>
    /// Throws <see cref="QuotaExceededException"/> when <paramref name="charge"/> (and the quota's
    /// reserve) would take the tenant over a limit. <paramref name="load"/> reads the committed
    /// usage of a tenant not seen yet.
    /// </summary>
    public void Check(string tenant, TenantUsage charge, QuotaCheck quota, Func<string, TenantUsage> load)
    {
        if (!_committed.TryGetValue(tenant, out var stored))
        {
            _committed[tenant] = stored = load(tenant);
        }
        var usage = stored + _pending.GetValueOrDefault(tenant);
        var executions = charge.Executions + quota.ReserveExecutions;
        if (quota.MaxExecutions is { } maxExecutions && executions > 0 && usage.Executions + executions > maxExecutions)
        {
            throw new QuotaExceededException(tenant, QuotaResource.Executions, maxExecutions, usage.Executions, executions);
        }
        if (quota.MaxEventBytes is { } maxBytes && charge.EventBytes > 0 && usage.EventBytes + charge.EventBytes > maxBytes)
        {
            throw new QuotaExceededException(tenant, QuotaResource.EventBytes, maxBytes, usage.EventBytes, charge.EventBytes);
        }
    }

    /// <summary>Adds a committed command's change to the open transaction's.</summary>
    public void Add(string tenant, TenantUsage change)
    {
        if (change != default)
        {
            _pending[tenant] = _pending.GetValueOrDefault(tenant) + change;
        }
    }

    /// <summary>The open transaction committed: its changes are now the tenants' stored usage.</summary>
    public void Committed()
    {
        foreach (var (tenant, change) in _pending)
        {
            if (_committed.TryGetValue(tenant, out var stored))
            {
                _committed[tenant] = stored + change;
            }
        }
        _pending.Clear();
    }

    /// <summary>The open transaction rolled back: none of its changes happened.</summary>
    public void RolledBack() => _pending.Clear();
}
