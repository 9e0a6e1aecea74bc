using Cake.Core.Diagnostics;
using Pipeline.GitHub;
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
        // In Actions: the one drift issue of this environment is opened, updated or closed to match.
        GitHubReporting.DriftChecked(context, report);
        if (report.Differences.Count == 0)
        {
            context.Record.Verdicts.Add(report.ToVerdict());
            context.Log.Information("DriftCheck: no drift ({0} checks).", report.Checks);
            return;
        }
        throw Report(context, report);
    }

    /// <summary>
    /// Records the drift verdict and returns the failure that stops the run. The differences are printed once,
    /// in that failure (the host's "Error: …", also run.json's error): the task used to log them, the error
    /// repeated them and the summary's gate line a third time.
    /// </summary>
    public static DriftDetectedException Report(BuildContext context, DriftReport report)
    {
        var verdict = report.ToVerdict();
        context.Record.Verdicts.Add(verdict with { Summary = $"{report.Differences.Count} difference(s) between declared and running (listed in the error)" });
        return new DriftDetectedException(report);
    }
}

public sealed class DriftDetectedException(DriftReport report)
    : Exception($"Drift detected, {report.Differences.Count} difference(s) between declared and running:\n{report.Render()}")
{
    public DriftReport Report { get; } = report;
}
