using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost;

public sealed class DbPasswordTests
{
    // Expected value computed independently with Python's hashlib/hmac (PBKDF2-HMAC-SHA256, RFC 5802 keys);
    // PostgresClusterTests proves PostgreSQL accepts a login against what this produces.
    [Fact]
    public void Scram_verifier_has_postgres_format_and_rfc_5802_keys()
    {
        var salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        Assert.Equal("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044/ZyWzPLi7oxApCkamKw9Z+E4U/QApd/5Y=:dd5peBOitVnLNFu7VmwP+HiDaaw4OUCv396eVCWhYiE=",
            DbPassword.ScramVerifier("pencil", salt));
    }

    [Fact]
    public void Each_verifier_has_its_own_salt_and_never_holds_the_password()
    {
        var a = DbPassword.ScramVerifier("pencil");
        Assert.NotEqual(a, DbPassword.ScramVerifier("pencil"));
        Assert.DoesNotContain("pencil", a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pässword")]
    [InlineData("with space")]
    public void Passwords_that_would_need_saslprep_are_refused(string password) =>
        Assert.Throws<ArgumentException>(() => DbPassword.ScramVerifier(password));
}
