using System.Text.Json;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>Parsing the release records' kubectl JSON (fixtures in the API's shape) and the manifests written back.</summary>
public sealed class KubeRecordJsonTests
{
    private static readonly RecordNames Names = new("orders");

    [Fact]
    public void The_release_state_ConfigMap_gives_release_json_and_the_resourceVersion_to_replace_at()
    {
        var map = KubeConfigMap.Parse(ClusterScript.Fixture("configmap-release-state.json"))!;
        Assert.Equal(("orders-release-state", "48213"), (map.Name, map.ResourceVersion));
        var state = JsonSerializer.Deserialize<ReleaseState>(map.Data[RecordNames.StateKey], RunRecord.Json)!;
        Assert.Equal(new ReleaseState(KubeFixture.Old, KubeFixture.New, "canary", 10, DateTimeOffset.Parse("2026-05-13T10:02:03.456+00:00")), state);
    }

    [Fact]
    public void Empty_output_of_get_ignore_not_found_is_an_absent_object_not_an_error()
    {
        Assert.Null(KubeConfigMap.Parse(""));
        Assert.Null(KubeConfigMap.Parse("\n"));
        Assert.Null(KubeLease.Parse(""));
        Assert.Null(KubeConfigMap.Parse("""{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}"""));
        Assert.Empty(KubeConfigMap.ParseList("""{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}"""));
    }

    [Fact]
    public void The_audit_list_gives_every_entry_whatever_order_the_API_lists_them_in()
    {
        var maps = KubeConfigMap.ParseList(ClusterScript.Fixture("configmaps-audit.json"));
        Assert.Equal(["orders-audit-20260513-101000-250-9c04d7e1", "orders-audit-20260511-090000-000-1a2b3c4d", "orders-audit-20260513-100203-456-5e6f7a8b"], maps.Select(m => m.Name));
        var entries = maps.Select(m => JsonSerializer.Deserialize<AuditEntry>(m.Data[RecordNames.AuditKey], AuditTrail.Compact)!).ToList();
        Assert.Equal(("promote", "1.2.0", Verdict.Pass, 1204.0), (entries[0].Action, entries[0].AppVersion, entries[0].Verdicts.Single().Verdict, entries[0].Verdicts.Single().Figures!["canaryRequests"]));
        Assert.Equal(KubeFixture.Old.Image, entries[1].ImageDigest);
    }

    [Fact]
    public void A_lease_gives_its_holder_verb_times_and_whether_it_is_still_held()
    {
        var json = ClusterScript.Fixture("lease-held.json").Replace("ACQUIRE_TIME", "2026-05-13T10:00:00.000000Z").Replace("RENEW_TIME", "2026-05-13T10:04:40.250000Z");
        var lease = KubeLease.Parse(json)!;
        Assert.Equal("carol (GitHub Actions run 14020230417 on fv-az1234-567, pid 4242)", lease.Holder);
        Assert.Equal(("Release (from HelmUpgradeCanary)", 60, 6, "48377"), (lease.Verb, lease.DurationSeconds, lease.Transitions, lease.ResourceVersion));
        Assert.Equal(DateTimeOffset.Parse("2026-05-13T10:05:40.25Z"), lease.ExpiresAt);
        Assert.True(lease.IsHeldAt(DateTimeOffset.Parse("2026-05-13T10:05:40.2Z")));
        Assert.False(lease.IsHeldAt(DateTimeOffset.Parse("2026-05-13T10:05:40.3Z"))); // renewTime + leaseDurationSeconds passed
        Assert.False((lease with { Holder = null }).IsHeldAt(DateTimeOffset.Parse("2026-05-13T10:05:00Z"))); // released
    }

    [Fact]
    public void Manifests_written_parse_back_to_what_was_meant_with_MicroTime_and_labels()
    {
        var t = DateTimeOffset.Parse("2026-05-13T10:00:00.1234567+02:00");
        var lease = new KubeLease("orders-release-lock", "alice (laptop, pid 7)", 60, t, t, 3, "deploy", "99");
        var json = lease.ToJson("orders-dev", Names.Labels("lock"));
        Assert.Contains("\"renewTime\":\"2026-05-13T08:00:00.123456Z\"", json);
        Assert.Contains("\"labels\":{\"app.kubernetes.io/managed-by\":\"orders-release-pipeline\",\"orders-release/record\":\"lock\",\"orders-release/release\":\"orders\"}", json);
        Assert.Equal(lease with { AcquireTime = DateTimeOffset.Parse("2026-05-13T08:00:00.123456Z"), RenewTime = DateTimeOffset.Parse("2026-05-13T08:00:00.123456Z") }, KubeLease.Parse(json));
        var released = (lease with { Holder = null, Verb = null }).ToJson("orders-dev", Names.Labels("lock"));
        Assert.DoesNotContain("holderIdentity", released);
        Assert.Contains("\"resourceVersion\":\"99\"", released);

        var map = new KubeConfigMap("orders-audit-x", new Dictionary<string, string> { ["entry.json"] = "{}" });
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"orders-audit-x","namespace":"orders-dev","labels":{"app.kubernetes.io/managed-by":"orders-release-pipeline","orders-release/record":"audit","orders-release/release":"orders"}},"immutable":true,"data":{"entry.json":"{}"}}""",
            map.ToJson("orders-dev", Names.Labels("audit"), immutable: true));
    }
}
