using System.Security.Cryptography;

namespace Pipeline.SingleHost;

/// <summary>The environment's database password: generated once, cryptographically random, 0600, never printed.</summary>
public static class DbPassword
{
    public static string EnsureFile(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).TrimEnd('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // 32 random bytes, URL-safe base64 without padding: no characters that need quoting anywhere.
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream)) writer.Write(password);
        return password;
    }

    /// <summary>
    /// The SCRAM-SHA-256 verifier PostgreSQL stores for <paramref name="password"/> (RFC 5802/7677, PostgreSQL's
    /// "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey"), computed here as psql's \password does. Sent in
    /// ALTER ROLE … PASSWORD, it is all the server log can ever show: a failing statement is logged in full
    /// (log_min_error_statement), and a plaintext password there is readable by anyone with the log.
    /// The password must be ASCII without control characters (SASLprep leaves those unchanged); ours is base64url.
    /// </summary>
    public static string ScramVerifier(string password, byte[]? salt = null, int iterations = 4096)
    {
        if (password.Length == 0 || password.Any(c => c is < (char)0x21 or > (char)0x7e))
            throw new ArgumentException("The database password must be printable ASCII (SASLprep is not implemented for other characters).", nameof(password));
        salt ??= RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
