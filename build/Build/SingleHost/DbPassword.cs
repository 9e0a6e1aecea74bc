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
}
