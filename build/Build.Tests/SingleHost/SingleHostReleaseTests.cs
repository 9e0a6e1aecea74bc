using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

/// <summary>Image references that enter through the audit trail are held to the digest rule like --image.</summary>
public sealed class SingleHostReleaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sh-release-").FullName;
    private readonly BuildContext _context;

    public SingleHostReleaseTests()
    {
        File.WriteAllText(Path.Combine(_dir, "it-tags.yaml"), TestEnvironmentFile.Yaml("it-tags"));
        using (EnvScope.Set(_dir, Path.Combine(_dir, "state")))
            _context = new BuildContext(TestCake.Create("--env=it-tags"));
        // A trail from before tags were refused: two "successful" releases by tag.
        foreach (var tag in new[] { "1.1.0", "1.2.0" })
            _context.SingleHost.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow, "promote", "it-tags", "someone",
                $"localhost:5000/orders-api:{tag}", "canary", "succeeded", [], AppVersion: tag));
    }

    [Fact]
    public async Task A_rollback_to_a_tag_in_the_audit_trail_is_refused_before_any_command()
    {
        var e = await Assert.ThrowsAsync<NotADigestException>(() => new SingleHostRelease(_context.SingleHost).RollbackAsync());
        Assert.Contains("'localhost:5000/orders-api:1.1.0' is not a digest reference", e.Message);
        Assert.Contains("audit.jsonl: the previous release", e.Message);
        Assert.Empty(_context.Runner.History);
    }

    [Fact]
    public void A_current_release_by_tag_is_refused_as_what_Up_would_boot()
    {
        var e = Assert.Throws<NotADigestException>(() => _context.DeclaredRelease());
        Assert.Contains("'localhost:5000/orders-api:1.2.0' is not a digest reference", e.Message);
    }

    [Theory]
    [InlineData("localhost:5000/orders-api:latest")]
    [InlineData("orders-api")]
    public async Task A_deploy_by_tag_is_refused_before_any_command(string reference)
    {
        await Assert.ThrowsAsync<NotADigestException>(() => new SingleHostRelease(_context.SingleHost).DeployAsync(reference));
        Assert.Empty(_context.Runner.History);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
