using System.Security.Cryptography;
using System.Text;
using Levee.Grains.Storage;
using Levee.Security;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Levee.Grains.Security;

/// <summary>Authenticates a secret's hash: the silo's admin key, or a stored tenant key. A stateless worker on every silo.</summary>
[GrainType("auth"), StatelessWorker]
internal sealed class ApiKeyAuthGrain(IApiKeyStore keys, IOptions<GrainOptions> options) : Grain, IApiKeyAuthGrain
{
    /// <summary>The admin key as an <see cref="ApiKeyInfo"/>: no tenant, only the admin scope.</summary>
    public static readonly ApiKeyInfo Admin = new("admin", "", "", [ApiScopes.Admin], DateTimeOffset.UnixEpoch);

    private readonly byte[]? _adminHash = options.Value.AdminKeyHash is { Length: > 0 } hash ? Encoding.ASCII.GetBytes(hash) : null;

    public async Task<ApiKeyInfo?> AuthenticateAsync(string secretHash)
    {
        if (_adminHash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(secretHash), _adminHash))
        {
            return Admin;
        }
        return await keys.FindAsync(secretHash, CancellationToken.None);
    }
}
