using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(DriftCheck))]
[TaskDescription("Compares what is declared with what runs; non-zero exit with a diff on drift.")]
public sealed class DriftCheck : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (context.DryRun)
        {
            // Observing needs the commands a dry run does not execute: say so instead of reporting a false drift.
            context.Log.Information("Dry run: would compare what is declared (release.json, the configuration) with what runs (single host: containers, LB servers/weights, schema, daemons; Kubernetes: helm values/manifest, pod digests, HTTPRoute weights).");
            context.Record.Verdicts.Add(new GateVerdict("drift", Verdict.Skipped, "dry run: nothing observed"));
            return;
        }
        var report = context.Release.Drift();
        context.Record.Verdicts.Add(report.ToVerdict());
        if (report.Differences.Count == 0)
        {
            context.Log.Information("DriftCheck: no drift ({0} checks).", report.Checks);
            return;
        }
        context.Log.Error("DriftCheck: {0} difference(s) between declared and running:\n{1}", report.Differences.Count, report.Render());
        throw new DriftDetectedException(report);
    }
}

public sealed class DriftDetectedException(DriftReport report) : Exception($"Drift detected:\n{report.Render()}");
