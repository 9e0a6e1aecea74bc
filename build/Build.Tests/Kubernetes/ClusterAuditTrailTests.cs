using System.Text.Json.Nodes;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>The audit trail in the cluster: one immutable, labelled ConfigMap per entry, read back oldest first.</summary>
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
}
