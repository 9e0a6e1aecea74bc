using System.Globalization;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Host;
using Pipeline.Metrics;
using Pipeline.Records;
using Cake.Core.Diagnostics;

namespace Pipeline.Tasks;

/// <summary>
/// Judges the canary that is live right now, once (polling while Inconclusive up to
/// gates.canary.inconclusiveTimeoutSeconds). The release sequence calls the same API between weight steps;
/// this task is the standalone entry: <c>./build.sh --target=PromoteGate --env=local [--step=25] [--prometheus=URL]</c>.
/// Fails the run (non-zero exit) on Fail and on a final Inconclusive: only a Pass lets Promote run.
/// No dependency on the deploy task: the gate judges whatever canary is live, so it can be re-run on its own.
/// </summary>
[TaskName(nameof(PromoteGate))]
[TaskDescription("Gate: canary vs stable on error rate and latency from Prometheus (Mann-Whitney U + thresholds).")]
public sealed class PromoteGate : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        if (context.Config.Target == TargetKind.Kubernetes)
            throw new NotAvailableException(nameof(PromoteGate), context.EnvironmentName,
                "the Kubernetes target's Prometheus address is not configured yet (same queries and statistics apply once it is).");

        var config = context.Config.Gates.Canary;
        var step = StepWeight(context);
        var prometheus = context.PrometheusAddress;
        if (context.DryRun)
        {
            context.Log.Information("Dry run: would judge canary step {0} % against {1} with:", step, prometheus);
            foreach (var (name, query) in CanaryAnalysis.Queries(config, config.WindowSeconds, CanaryScope.Any))
                context.Log.Information("  {0}: {1}", name, query);
            context.Record.Verdicts.Add(new GateVerdict($"canary-{step}", Verdict.Skipped, "dry run: no metrics read"));
            return;
        }

        using var metrics = new PrometheusMetricsSource(prometheus);
        var verdict = await CanaryGate.AwaitVerdictAsync(metrics, config, step, CancellationToken.None,
            onLook: v => context.Log.Information("canary-{0}: {1} — {2}", step, v.Verdict, v.Summary));
        var file = CanaryVerdictRecorder.Record(context, verdict);
        context.Log.Information("Verdict written to {0}", file);
        if (verdict.Verdict != Verdict.Pass)
            throw new GateFailedException($"Canary gate {verdict.Verdict.ToString().ToUpperInvariant()} at step {step} %: {verdict.Summary}");
    }

    private static int StepWeight(BuildContext context)
    {
        var text = context.Argument(GateArgs.Step) ?? context.Record.Facts.GetValueOrDefault(GateFacts.CanaryWeight);
        if (text is null) return 0; // unknown: recorded as canary-0
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w is >= 0 and <= 100
            ? w : throw new ArgumentException($"--{GateArgs.Step} must be a canary weight between 0 and 100, got '{text}'.");
    }
}

/// <summary>A gate judged the release unfit (Fail) or could not judge it in time (Inconclusive): the run fails.</summary>
public sealed class GateFailedException(string message) : Exception(message);
