using System.Security.Cryptography;
using System.Text;

namespace Levee.Security;

/// <summary>Mints API key secrets and hashes them. Only hashes are stored, and only hashes cross grain calls.</summary>
public static class ApiKeySecrets
{
    /// <summary>A new secret: <paramref name="prefix"/> + 32 random bytes, base64url.</summary>
    public static string NewSecret(string prefix = "lv_") =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the secret, hex. Secrets are random, so a fast hash is enough (no password stretching needed).</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
