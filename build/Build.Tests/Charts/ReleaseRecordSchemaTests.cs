using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.Charts.Support;

namespace Pipeline.Tests.Charts;

/// <summary>
/// The release records the pipeline writes to the cluster (Kubernetes/State) against the API's own schemas, with the
/// same validator as the chart: a ConfigMap or Lease the API server would reject (a bad MicroTime, a string count)
/// fails here, not on the first real run.
/// </summary>
public class ReleaseRecordSchemaTests
{
    [Fact]
    public void The_state_audit_and_lease_manifests_match_their_api_schemas()
    {
        var names = new RecordNames("orders");
        var image = new ReleaseImage("registry.dev.orders.internal/orders-api@sha256:" + new string('1', 64), "1.1.0");
        var now = DateTimeOffset.UtcNow;
        var lease = new KubeLease(names.Lock, "alice (laptop, pid 7)", 60, now, now, 0, "deploy");
        string[] manifests =
        [
            ReleaseStateConfigMap.ObjectFor(names, new ReleaseState(image)).ToJson("orders-dev", names.Labels("state")),
            ReleaseStateConfigMap.ObjectFor(names, new ReleaseState(image), "48213").ToJson("orders-dev", names.Labels("state")),
            ClusterAuditTrail.ObjectFor(names, new AuditEntry(now, "promote", "dev", "alice", image.Image, "canary", "succeeded", [new GateVerdict("canary-10", Verdict.Pass, "ok")]))
                .ToJson("orders-dev", names.Labels("audit"), immutable: true),
            lease.ToJson("orders-dev", names.Labels("lock")),
            (lease with { Holder = null, Verb = null, ResourceVersion = "48377" }).ToJson("orders-dev", names.Labels("lock")),
        ];
        var file = Path.Combine(ChartHarness.OutDir, "records.yaml");
        File.WriteAllText(file, string.Join("\n---\n", manifests)); // JSON is YAML

        var (objects, errors) = new Pipeline.Charts.ChartValidation(ChartHarness.Runner, ChartHarness.Tools).Schemas(file);

        Assert.Empty(errors);
        Assert.Equal(5, objects);
        // The validator does check these kinds: a Lease with a string duration and a non-RFC-3339 time is refused.
        File.WriteAllText(file, lease.ToJson("orders-dev", names.Labels("lock")).Replace("\"leaseDurationSeconds\":60", "\"leaseDurationSeconds\":\"60\"").Replace(KubeLease.MicroTime(now), "yesterday"));
        var (_, bad) = new Pipeline.Charts.ChartValidation(ChartHarness.Runner, ChartHarness.Tools).Schemas(file);
        Assert.Contains(bad, e => e.StartsWith("Lease/orders-release-lock", StringComparison.Ordinal) && e.Contains("leaseDurationSeconds") && e.Contains("date-time"));
    }
}
