using Pipeline.Config;
using Pipeline.Drill;
using Pipeline.Drill.Phases;
using Pipeline.Drill.Traffic;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Drill.Phases;

/// <summary>
/// The shortened release drill (DrillPlan.Short: seconds per phase, 20 req/s) on a throw-away environment with free
/// ports, real podman/HAProxy/Prometheus/PostgreSQL: a rolling and a canary release with 0 failed requests, a bad
/// canary rolled back by the gate, the database outage survived without a restart, 0 acknowledged writes lost — and
/// the seam-break contrast (LB health checks off during the outage) DOES fail requests, so CI guards the seams.
/// </summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ShortDrillTests(TestImages images)
{
    [Fact]
    public async Task The_short_drill_keeps_its_targets_and_its_contrast_shows_the_outage()
    {
        using var env = new SingleHostTestEnvironment("canary", replicas: 2, steps: "[50, 100]", smokePaths: "[\"/healthz/ready\"]");
        var samplerSession = new SingleHostSession(env.Config, env.Session.Layout.StateDir,
            new ToolRunner(TestCake.Create(), false, ["/usr/lib/postgresql/15/bin", "/usr/sbin"]), new RunRecord(), env.Session.Log, "drill-sampler");
        DrillTraffic? traffic = null;
        var load = DrillTraffic.DefaultLoad(600);
        load.RatePerSecond = 20;
        var runner = new DrillRunner(env.Session, new DrillImages(images.Old, images.New, null), DrillTimings.Short,
            lb => traffic = DrillTraffic.Start(lb, load, SingleHostProbes.For(samplerSession)));

        var outcome = await runner.RunAsync(DrillPlan.Short());
        var results = outcome.Phases;
        var byName = results.ToDictionary(r => r.Name);
        var summary = DrillSummary.Table(results);

        foreach (var release in new[] { "2 rolling release", "3 canary release, promoted" })
        {
            var r = byName[release];
            var during = traffic!.Between(r.Start, r.End);
            Assert.True(during.Count > 40, $"{release}: too little traffic to prove anything\n{summary}");
            Assert.True(during.Count(x => x.Failed) == 0, $"{release}: failed requests\n{summary}");
        }
        // The readiness seam: an instance in rotation during its cold start answers users 503, none of it elsewhere.
        var c1 = byName["C1 no readiness gate"];
        Assert.True(c1.Contrast && c1.Passed, "C1 must show its outage\n" + summary);
        var c1Failed = traffic!.Between(c1.Start, c1.End).Where(x => x.Failed).ToList();
        Assert.NotEmpty(c1Failed);
        Assert.All(c1Failed, x => Assert.Equal(503, x.Status));
        Assert.NotNull(Assert.Single(c1Failed.Select(x => x.Instance).Distinct()));
        Assert.True(byName["6a bad canary (errors)"].Passed, summary);
        Assert.Contains(env.Session.Record.Events, e => e.Kind == "rolled-back-traffic");
        Assert.True(byName["7b PostgreSQL unavailable"].Passed, summary);
        var contrast = byName["C3 LB health checks off during the database outage"];
        Assert.True(contrast.Contrast);
        Assert.True(contrast.Passed, "the seam-break contrast must show its outage\n" + summary);
        Assert.True(traffic!.Between(contrast.Start, contrast.End).Count(x => x.Failed) > 0, summary);
        Assert.True(outcome.Writes.Acknowledged > 100, summary);
        Assert.Equal((0, 0), (outcome.Writes.AcknowledgedMissing, outcome.Writes.Duplicates));
        Assert.Equal(["1.1.0"], env.VersionsServing(20).Keys);
    }
}
