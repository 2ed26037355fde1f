using System.Collections.Concurrent;
using Levee.Security;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Dashboard;

/// <summary>
/// The dashboard's sign-ins, held in this gateway's memory and keyed by the hash of a random
/// token that only the browser's HttpOnly cookie carries. Server-side rather than a signed cookie,
/// so signing out ends a session at once, with no signing key to configure, rotate or share.
/// A session holds the admin key's hash (never the key), which every request authenticates with
/// the cluster again (<see cref="Auth.ApiKeyCache"/>): a new admin key ends the old sessions. The
/// price: a gateway restart signs everyone out, and with several gateways a browser stays signed in
/// only on the one it signed in through (a sign-in takes a second; sessions are short anyway).
/// </summary>
public sealed class DashboardSessions(IOptions<DashboardOptions> options, TimeProvider clock)
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "levee_session";

    /// <summary>Most live sessions; beyond it expired ones are dropped, and if none expired the oldest go (bounds abuse of sign-in).</summary>
    private const int MaxSessions = 1000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>How long a new session lasts.</summary>
    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.SessionMinutes);

    /// <summary>Starts a session for the key with this hash; returns the token for the cookie and when it expires.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Create(string keyHash)
    {
        var now = clock.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            Prune(now);
        }
        var token = ApiKeySecrets.NewSecret("lvs_");
        var expiresAt = now + Lifetime;
        _sessions[ApiKeySecrets.Hash(token)] = new Session(keyHash, now, expiresAt);
        return (token, expiresAt);
    }

    /// <summary>The key hash of a live session, or null for a token that is unknown, ended or expired.</summary>
    public string? Find(string token)
    {
        var id = ApiKeySecrets.Hash(token);
        if (!_sessions.TryGetValue(id, out var session))
        {
            return null;
        }
        if (session.ExpiresAt > clock.GetUtcNow())
        {
            return session.KeyHash;
        }
        _sessions.TryRemove(id, out _);
        return null;
    }

    /// <summary>Ends the session of this token (nothing happens for an unknown one).</summary>
    public void End(string token) => _sessions.TryRemove(ApiKeySecrets.Hash(token), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }
        // Still full of live sessions: someone signs in in a loop; the oldest make room.
        foreach (var (id, _) in _sessions.OrderBy(s => s.Value.CreatedAt).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)))
        {
            _sessions.TryRemove(id, out _);
        }
    }

    private sealed record Session(string KeyHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
}
