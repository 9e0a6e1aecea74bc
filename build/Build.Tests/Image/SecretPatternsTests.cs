using Pipeline.Image.Scan;

namespace Pipeline.Tests.Image;

public class SecretPatternsTests
{
    private static readonly SecretPatterns Patterns = new(["Zq8xR2mVt7LpW4nK"]);

    private static string[] Found(string text) => Patterns.Match("t", text).Select(f => f.Pattern).Distinct().ToArray();

    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "private-key")]
    [InlineData("-----BEGIN PRIVATE KEY-----", "private-key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "private-key")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----", "private-key")]
    [InlineData("key=AKIAIOSFODNN7EXAMPLE;", "aws-access-key-id")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-secret-access-key")]
    [InlineData("GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345", "github-token")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW", "github-token")]
    [InlineData("xoxb-123456789012-abcdefghij", "slack-token")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt")]
    [InlineData("Host=db;Username=app;Password=hunter22;Database=orders", "password-assignment")]
    [InlineData("PGPASSWORD=s3cr3t-value", "password-assignment")]
    [InlineData("{\"db\":{\"Password\": \"hunter22\"}}", "password-assignment")]
    [InlineData("the env secret Zq8xR2mVt7LpW4nK in a file", "secret-value-0")]
    public void Finds(string text, string pattern) => Assert.Contains(pattern, Found(text));

    [Fact]
    public void Finds_an_environment_secret_stored_as_utf16()
    {
        var utf16 = System.Text.Encoding.Unicode.GetBytes("x=Zq8xR2mVt7LpW4nK");
        Assert.Contains(Patterns.Match("t", utf16), f => f.Pattern == "secret-value-0-utf16");
    }

    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIF")] // the CA bundle: public
    [InlineData("-----BEGIN PUBLIC KEY-----")]
    [InlineData("Password={0};")]                   // a template
    [InlineData("Password=$DB_PASSWORD")]
    [InlineData("password=***")]
    [InlineData("Password=;")]
    [InlineData("{\"Password\": \"\"}")]
    [InlineData("{\"Password\": \"{{from-file}}\"}")]
    [InlineData("ORDERS_DB_PASSWORD_FILE=/run/secrets/db-password")]
    [InlineData("the password must be at least 8 characters")]
    [InlineData("AKIAIOSFODNN7EXAMPLEX")]               // too long to be a key id
    [InlineData("ghp_short")]
    [InlineData("Zq8xR2mVt7LpW4n")]                     // a prefix of the secret is not the secret
    public void Ignores(string text) => Assert.Empty(Found(text));

    [Fact]
    public void Short_environment_values_are_not_searched()
    {
        var p = new SecretPatterns(["abc"]);
        Assert.Equal(0, p.SecretValueCount);
    }

    [Fact]
    public void Evidence_never_contains_the_secret()
    {
        var f = Patterns.Match("t", "Password=hunter22-and-more;").Single();
        Assert.DoesNotContain("hunter22-and-more", f.Excerpt);
        var v = Patterns.Match("t", "Zq8xR2mVt7LpW4nK").Single();
        Assert.DoesNotContain("Zq8xR2mVt7LpW4nK", v.Excerpt);
    }
}
