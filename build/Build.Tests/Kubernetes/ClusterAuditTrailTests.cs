using System.Text.Json.Nodes;
using Pipeline.Kubernetes;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>The audit trail in the cluster: one immutable, labelled ConfigMap per entry, read back oldest first, pruned to its retention.</summary>
public sealed class ClusterAuditTrailTests
{
    private static AuditEntry Entry(string at, string action, string image, string version) =>
        new(DateTimeOffset.Parse(at), action, "dev", "alice", image, "canary", "succeeded", [new GateVerdict("canary-10", Verdict.Pass, "ok")], AppVersion: version);

    [Fact]
    public void Each_entry_is_created_as_its_own_immutable_labelled_ConfigMap()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);

        f.Session.Audit.Append(Entry("2025-03-01T12:00:00Z", "promote", KubeFixture.Old.Image, "1.1.0"));

        var create = script.RecordCommands().Single(c => c.StandardInput is not null);
        Assert.Equal("kubectl --context dev --namespace orders-dev create --filename - --output json", create.ToString());
        var sent = JsonNode.Parse(create.StandardInput!)!;
        Assert.Matches("^orders-audit-20250301-120000-000-[0-9a-f]{8}$", sent["metadata"]!["name"]!.GetValue<string>());
        Assert.True(sent["immutable"]!.GetValue<bool>());
        Assert.Equal("audit", sent["metadata"]!["labels"]!["orders-release/record"]!.GetValue<string>());
        Assert.Equal("orders", sent["metadata"]!["labels"]!["orders-release/release"]!.GetValue<string>());
        Assert.StartsWith("{\"at\":\"2025-03-01T12:00:00+00:00\",\"action\":\"promote\"", sent["data"]!["entry.json"]!.GetValue<string>());
    }

    [Fact]
    public void Entries_are_read_oldest_first_whatever_order_the_API_lists_them_in()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        var trail = f.Session.Audit;
        trail.Append(Entry("2025-03-02T12:00:00Z", "promote", KubeFixture.New.Image, "1.2.0"));
        trail.Append(Entry("2025-03-01T12:00:00Z", "promote", KubeFixture.Old.Image, "1.1.0"));

        var read = trail.Read();

        Assert.Equal(4, read.Count); // + the fixture's two from a day ago
        Assert.Equal(["1.1.0", "1.2.0"], read.Take(2).Select(e => e.AppVersion));
        Assert.Equal(Verdict.Pass, read[0].Verdicts.Single().Verdict);
        Assert.Equal("kubectl --context dev --namespace orders-dev get configmaps --selector orders-release/record=audit,orders-release/release=orders --output json",
            script.RecordCommands().Last().ToString());
        Assert.Equal("ConfigMaps labelled orders-release/record=audit,orders-release/release=orders (namespace orders-dev, context dev)", trail.Where);
    }

    [Fact]
    public void The_previous_successful_release_comes_from_the_cluster_records()
    {
        using var f = new KubeFixture(new ClusterScript());
        foreach (var item in JsonNode.Parse(ClusterScript.Fixture("configmaps-audit.json"))!["items"]!.AsArray())
            f.Objects!.Put(item!.ToJsonString());

        Assert.Equal(("1.2.0", KubeFixture.New.Image), (f.Session.Audit.CurrentRelease()!.AppVersion, f.Session.Audit.CurrentRelease()!.ImageDigest));
        Assert.Equal(KubeFixture.Old.Image, f.Session.Audit.PreviousSuccessfulRelease()!.ImageDigest);
    }

    [Fact]
    public void An_entry_too_large_for_a_ConfigMap_is_refused_before_anything_is_sent()
    {
        var huge = Entry("2025-03-01T12:00:00Z", "promote", KubeFixture.Old.Image, "1.1.0") with { Note = new string('x', ClusterAuditTrail.MaxEntryBytes) };
        var e = Assert.Throws<InvalidOperationException>(() => ClusterAuditTrail.ObjectFor(new RecordNames("orders"), huge));
        Assert.Contains("more than a ConfigMap can hold", e.Message);
    }

    [Fact]
    public void A_labelled_ConfigMap_that_holds_no_entry_is_named_not_skipped()
    {
        using var f = new KubeFixture(new ClusterScript());
        f.Objects!.Put(new KubeConfigMap("orders-notes", new Dictionary<string, string> { ["notes"] = "x" }).ToJson("orders-dev", f.Names.Labels("audit")));
        var e = Assert.Throws<InvalidDataException>(() => f.Session.Audit.Read());
        Assert.StartsWith("ConfigMap orders-notes carries the audit labels but no entry.json", e.Message);
    }

    private static AuditEntry At(int day, string action, string digest, string outcome) =>
        Entry($"2025-01-{day:00}T12:00:00Z", action, digest, "1.0." + day) with { Outcome = outcome };

    /// <summary>The trail of <paramref name="f"/> as the pipeline builds it, keeping the newest <paramref name="retention"/> entries.</summary>
    private static ClusterAuditTrail Trail(KubeFixture f, int retention) =>
        new(new KubeCluster(f.Session, f.Target.Settings with { AuditRetention = retention }), f.Names);

    private static string NameOf(KubeFixture f, AuditEntry e) => ClusterAuditTrail.ObjectFor(f.Names, e).Name;

    [Fact]
    public void An_append_beyond_the_retention_deletes_exactly_the_oldest_entries_but_never_the_last_release_of_a_digest()
    {
        const string A = "registry.dev.orders.internal/orders-api@sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const string B = "registry.dev.orders.internal/orders-api@sha256:" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        const string C = "registry.dev.orders.internal/orders-api@sha256:" + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
        var script = new ClusterScript();
        using var f = new KubeFixture(script); // + its two failed deploys of a day ago: 12 entries before the append
        AuditEntry[] seeded =
        [
            At(1, "promote", A, "succeeded"),  // A again on day 9: prunable
            At(2, "promote", B, "succeeded"),  // B's only release: what Rollback returns to, kept though the oldest
            At(3, "deploy", C, "failed"),
            At(4, "deploy", C, "failed"),
            At(5, "promote", C, "failed"),
            At(6, "deploy", C, "succeeded"),
            At(7, "deploy", C, "succeeded"),
            At(8, "deploy", A, "succeeded"),
            At(9, "promote", A, "succeeded"),  // the current release
            At(10, "deploy", C, "succeeded"),
        ];
        foreach (var e in seeded) f.Audited(e);
        var trail = Trail(f, retention: 10);
        var (current, previous) = (trail.CurrentRelease(), trail.PreviousSuccessfulRelease());

        trail.Append(At(11, "deploy", C, "failed")); // 13 entries = retention 10 + 3

        var delete = Assert.Single(script.RecordCommands(), c => c.Args[4] == "delete");
        Assert.Equal($"kubectl --context dev --namespace orders-dev delete configmap {NameOf(f, seeded[0])} {NameOf(f, seeded[2])} {NameOf(f, seeded[3])} --ignore-not-found --wait=false",
            delete.ToString()); // the three oldest, stepping over B's release
        var history = trail.Read();
        Assert.Equal(10, history.Count);
        Assert.Equal(["1.0.2", "1.0.5", "1.0.6", "1.0.7", "1.0.8", "1.0.9", "1.0.10", "1.0.11"], history.Take(8).Select(e => e.AppVersion));
        Assert.Equal(history.OrderBy(e => e.At), history); // still oldest first
        Assert.Equal(B, trail.PreviousSuccessfulRelease()!.ImageDigest);
        Assert.Equal((current!.At, current.ImageDigest, previous!.At), (trail.CurrentRelease()!.At, trail.CurrentRelease()!.ImageDigest, trail.PreviousSuccessfulRelease()!.At));
        Assert.Equal(10, f.Objects!.All("configmap").Count(o => o["metadata"]!["name"]!.GetValue<string>().StartsWith("orders-audit-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Within_the_retention_nothing_is_deleted()
    {
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        var trail = Trail(f, retention: 3);

        trail.Append(Entry("2025-03-01T12:00:00Z", "promote", KubeFixture.Old.Image, "1.1.0")); // 3 with the fixture's two

        Assert.Equal(3, trail.Read().Count);
        Assert.DoesNotContain(script.RecordCommands(), c => c.Args[4] == "delete");
        Assert.Equal(500, f.Target.Settings.AuditRetention); // the environment's default
    }
}
