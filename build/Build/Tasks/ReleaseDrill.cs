using Cake.Core.Diagnostics;
using Pipeline.Drill.Phases;
using Pipeline.Drill.Report;
using Pipeline.Drill.Traffic;
using Pipeline.Host;
using Pipeline.Image;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Tasks;

/// <summary>
/// The release drill (issue 10): on a Reset single-host environment, under 200 req/s from start to finish, every kind
/// of release the pipeline does — each through the same release engine a normal release uses — the faulty canaries,
/// the fault drills and the seam-break contrast runs, each judged against its target; then every write read back.
/// Any missed target: exit 1. Only `--env=local` (checked with the arguments: exit 2), and only with
/// --confirm=local, since it starts with a Reset. Report: artifacts/drill/ (report.html, report.json, timeline.png).
/// </summary>
[TaskName(nameof(ReleaseDrill))]
[TaskDescription("Reset, then every release kind, faulty canaries, fault drills and seam-break contrasts under 200 req/s; judged per phase (needs --confirm=local).")]
[IsDependentOn(typeof(Prerequisites))]
public sealed class ReleaseDrill : AsyncFrostingTask<BuildContext>
{
    /// <summary>Roughly how long the full drill's phases take here (for the progress line's "remaining").</summary>
    private static readonly TimeSpan Planned = TimeSpan.FromMinutes(20);

    public override async Task RunAsync(BuildContext context)
    {
        var session = context.SingleHost;
        var plan = DrillPlan.Select(DrillPlan.Full(), context.Arguments.GetArguments(Args.Phases).LastOrDefault());
        var images = new DrillImages(ImageReleaser.BuildAndPush(context, 1), ImageReleaser.BuildAndPush(context, 2), ImageReleaser.BuildAndPush(context, 3));
        if (context.DryRun) { context.Log.Information("Dry run: would Reset {0} and run {1} drill phases: {2}.", context.EnvironmentName, plan.Count, string.Join(", ", plan.Select(DrillPlan.IdOf))); return; }

        // The schema train starts from a fresh environment: release 1's first install migrates to schema 3.
        foreach (var r in new SingleHostEnvironment(session).Down()) context.Log.Information("Drill reset: removed {0}", r);
        var trail = AuditTrail.For(context).Path;
        if (File.Exists(trail)) File.Move(trail, Path.Combine(Path.GetDirectoryName(trail)!, $"audit-reset-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}.jsonl"));

        // The samplers get a runner of their own (background threads; a runner's history is not synchronised).
        var samplerSession = new SingleHostSession(context.Config, context.Paths.StateDir, new ToolRunner(context, false, [context.Paths.ToolsDir, "/usr/lib/postgresql/15/bin", "/usr/sbin"])
            { Background = (context.Runner as ToolRunner)?.Background },
            new RunRecord(), context.Log, context.Actor);
        DrillTraffic? traffic = null;
        DrillProgress? progress = null;
        var runner = new DrillRunner(session, images, DrillTimings.Full, lb =>
        {
            traffic = DrillTraffic.Start(lb, DrillTraffic.DefaultLoad(3600), SingleHostProbes.For(samplerSession));
            progress = new DrillProgress(traffic, Planned * plan.Count / DrillPlan.Full().Count);
            return traffic;
        });
        DrillOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(plan, name => progress?.Phase(name),
                r => context.Log.Information("{0} {1}: {2}", r.Passed ? "PASS" : "FAIL", r.Name, r.Figure));
        }
        finally { if (progress is not null) await progress.DisposeAsync(); }

        var t = traffic!;
        var report = DrillReport.Build(context.EnvironmentName, t.Load.RatePerSecond, t.Load.WriteRatio, outcome.Start, outcome.End, t.Records, outcome.Phases,
            [.. context.Record.Events], t.Readiness, t.Liveness, t.Steal, t.KeyCounts, outcome.Writes, ScanEvidence.Read(Path.Combine(context.Paths.Artifacts, "scan")));
        foreach (var file in ReportWriter.Write(context.Paths.Artifacts, report, t.Records)) context.Log.Information("Drill report: {0}", file);
        var table = DrillSummary.Table(outcome.Phases);
        context.Log.Information(table);
        context.Log.Information("Writes: {0} acknowledged, {1} missing, {2} duplicates.", outcome.Writes.Acknowledged, outcome.Writes.AcknowledgedMissing, outcome.Writes.Duplicates);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        context.Record.Facts["drill.phases"] = outcome.Phases.Count.ToString(inv);
        context.Record.Facts["drill.selection"] = string.Join(",", plan.Select(DrillPlan.IdOf));
        context.Record.Facts["drill.failedPhases"] = outcome.Phases.Count(r => !r.Passed).ToString(inv);
        context.Record.Facts["drill.writesMissing"] = outcome.Writes.AcknowledgedMissing.ToString(inv);
        if (!outcome.Passed) throw new InvalidOperationException(table.Split('\n')[^1] + $" Writes: {outcome.Writes.AcknowledgedMissing} missing, {outcome.Writes.Duplicates} duplicates. See artifacts/drill/report.html.");
    }
}
