using Pipeline.Records;

namespace Pipeline.Tests.Records;

public class AuditTrailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("audit-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static AuditEntry Entry(string at, string action, char digest, string outcome = "succeeded") =>
        new(DateTimeOffset.Parse(at), action, "local", "alice", "sha256:" + new string(digest, 64), "canary", outcome,
            [new GateVerdict("canary", Verdict.Pass, "ok")], Approval: "approved by bob");

    [Fact]
    public void Appends_and_reads_back_every_field()
    {
        var trail = new AuditTrail(Path.Combine(_dir, "nested", AuditTrail.FileName));
        var e = Entry("2026-01-01T00:00:00Z", "promote", 'a');
        trail.Append(e);
        var read = Assert.Single(trail.Read());
        Assert.Equal(e with { Verdicts = read.Verdicts }, read);
        Assert.Equal("canary", read.Verdicts.Single().Gate);
    }

    [Fact]
    public void Concurrent_appends_never_interleave_lines()
    {
        var trail = new AuditTrail(Path.Combine(_dir, AuditTrail.FileName));
        Parallel.For(0, 40, i =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try { trail.Append(Entry("2026-01-01T00:00:00Z", "deploy", 'a') with { Note = "n" + i }); return; }
                catch (IOException) when (attempt < 200) { Thread.Sleep(5); }
            }
        });
        Assert.Equal(40, trail.Read().Select(e => e.Note).Distinct().Count());
    }

    [Fact]
    public void Previous_release_is_the_last_different_successful_digest()
    {
        var trail = new AuditTrail(Path.Combine(_dir, AuditTrail.FileName));
        trail.Append(Entry("2026-01-01T00:00:00Z", "promote", 'a'));
        trail.Append(Entry("2026-01-02T00:00:00Z", "promote", 'b'));
        trail.Append(Entry("2026-01-03T00:00:00Z", "promote", 'c', "failed"));
        Assert.Equal('b', trail.CurrentRelease()!.ImageDigest[^1]);
        Assert.Equal('a', trail.PreviousSuccessfulRelease()!.ImageDigest[^1]);
    }

    [Fact]
    public void Table_lists_oldest_first_newest_last_with_short_digests()
    {
        var table = AuditTable.Render([Entry("2026-01-02T00:00:00Z", "rollback", 'b'), Entry("2026-01-01T00:00:00Z", "promote", 'a')]);
        var lines = table.Split('\n');
        Assert.StartsWith("When (UTC)", lines[0]);
        Assert.Contains("promote", lines[2]);
        Assert.Contains("rollback", lines[3]);
        Assert.Contains("sha256:aaaaaaaaaaaa ", lines[2]);
        Assert.DoesNotContain(new string('a', 13), lines[2]);
        Assert.EndsWith("canary:pass  approved by bob", lines[2]);
    }

    [Fact]
    public void Empty_trail_says_so() =>
        Assert.Equal("No deploys, promotions or rollbacks recorded yet.", AuditTable.Render([]));
}
