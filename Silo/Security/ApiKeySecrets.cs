using System.Security.Cryptography;
using System.Text;

namespace Levee.Silo.Security;

/// <summary>Mints API key secrets and hashes them for storage (only the hash is kept).</summary>
internal static class ApiKeySecrets
{
    /// <summary>A new secret: <c>lv_</c> + 32 random bytes, base64url.</summary>
    public static string NewSecret() =>
        "lv_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the secret, hex. Secrets are random, so a fast hash is enough (no password stretching needed).</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
