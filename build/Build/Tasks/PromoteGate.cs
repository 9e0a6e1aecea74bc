using System.Globalization;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Host;
using Pipeline.Metrics;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Cake.Core.Diagnostics;

namespace Pipeline.Tasks;

/// <summary>
/// Judges the canary that is live right now, once (polling while Inconclusive up to
/// gates.canary.inconclusiveTimeoutSeconds). The release sequence calls the same API between weight steps;
/// this task is the standalone entry: <c>./build.sh --target=PromoteGate --env=local [--step=25] [--prometheus=URL]</c>.
/// Fails the run (non-zero exit) on Fail and on a final Inconclusive: only a Pass lets Promote run. On the single
/// host a failure rolls the canary back at once (OnError: traffic to stable first, then the canary is removed,
/// audit trail: promote failed + rollback). Skipped, with the reason recorded, when there is nothing to judge: no
/// release in progress (already serving), a first install (no stable baseline), a non-canary strategy, or a
/// canary at 0 % / 100 %.
/// No dependency on the deploy task: the gate judges whatever canary is live, so it can be re-run on its own.
/// </summary>
[TaskName(nameof(PromoteGate))]
[TaskDescription("Gate: canary vs stable on errors and latency from Prometheus (anytime-valid mixture SPRT per metric, budgeted false rollbacks).")]
public sealed class PromoteGate : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var config = context.Config.Gates.Canary;
        DateTimeOffset? stepStartedAt = null;
        if (!context.DryRun)
        {
            var live = context.Release.State;
            if (NothingToJudge(live) is { } reason)
            {
                context.Log.Information("PromoteGate: skipped — {0}.", reason);
                context.Record.Verdicts.Add(new GateVerdict($"canary-{live.CanaryPercent}", Verdict.Skipped, reason));
                return;
            }
            stepStartedAt = live.StepStartedAt;
            if (context.Argument(GateArgs.Step) is null) context.Record.Facts[GateFacts.CanaryWeight] = live.CanaryPercent.ToString(CultureInfo.InvariantCulture);
        }
        var step = StepWeight(context);
        var prometheus = context.PrometheusAddress;
        if (context.DryRun)
        {
            context.Log.Information("Dry run: would judge canary step {0} % against {1} with:", step, prometheus);
            foreach (var (name, query) in CanaryAnalysis.Queries(config, Scope(context.Config)))
                context.Log.Information("  {0}: {1}", name, query);
            context.Record.Verdicts.Add(new GateVerdict($"canary-{step}", Verdict.Skipped, "dry run: no metrics read"));
            return;
        }

        using var metrics = new PrometheusMetricsSource(prometheus);
        var verdict = await CanaryGate.AwaitVerdictAsync(metrics, config, step, CancellationToken.None, Scope(context.Config), stepStartedAt: stepStartedAt,
            onLook: v => context.Log.Information("canary-{0}: {1} — {2}", step, v.Verdict, v.Summary));
        var file = CanaryVerdictRecorder.Record(context, verdict);
        context.Log.Information("Verdict written to {0}", file);
        if (verdict.Verdict != Verdict.Pass)
            throw new GateFailedException($"Canary gate {verdict.Verdict.ToString().ToUpperInvariant()} at step {step} %: {verdict.Summary}");
    }

    /// <summary>Whose proxy errors count against which track: HAProxy's slots on the single host, the configured selectors elsewhere.</summary>
    public static CanaryScope Scope(EnvironmentConfig config) =>
        config.Target == TargetKind.SingleHost ? HaproxyErrorSelectors.Scope(config.Name)
        : CanaryScope.Any with { ProxyErrors = config.Gates.Canary.ProxyErrors };

    /// <summary>Why there is no canary to judge right now (null: there is one).</summary>
    public static string? NothingToJudge(ReleaseState live) => live switch
    {
        { Candidate: null } => live.Stable is null ? "nothing deployed yet" : $"no canary is live (already serving {live.Stable.Version})",
        { Stable: null } => "first install: no stable baseline",
        { Strategy: not "canary" } => $"strategy {live.Strategy}: no canary step to judge",
        { CanaryPercent: 0 } => "canary at 0 %: it serves no traffic yet",
        { CanaryPercent: >= 100 } => "canary at 100 %: no baseline left to compare with",
        _ => null,
    };

    /// <summary>
    /// The automatic rollback of a failed gate, before the failure propagates (the host calls OnError first):
    /// all traffic back to stable, then the canary drains and stops; the audit trail records both.
    /// </summary>
    public override void OnError(Exception exception, BuildContext context)
    {
        try
        {
            if (!context.DryRun) FailSafe(exception, context.Release, context.Log);
        }
        finally { context.StopTraffic(); }
    }

    /// <summary>
    /// Fail safe: ANY failure while a canary is live rolls it back — a Fail/Inconclusive verdict, and equally a
    /// crash (a malformed Prometheus answer, a missing series). It used to roll back only on GateFailedException;
    /// a crash left the canary at its weight with nobody judging it. Returns whether traffic is back on stable.
    /// </summary>
    public static bool FailSafe(Exception exception, ReleaseEngine release, ICakeLog log)
    {
        var why = exception is GateFailedException ? exception.Message
            : $"PromoteGate crashed ({exception.GetType().Name}: {exception.Message}); a canary nobody judges is not left live";
        if (release.State.Candidate is null) return false;
        log.Error("PromoteGate failed: rolling the canary back (traffic to stable first): {0}", why);
        var back = release.Abort(why);
        log.Error(back ? "Rolled back: all traffic is on the stable release, the canary is removed."
            : "NOT rolled back (no stable instance serving): the candidate keeps serving; run Rollback.");
        return back;
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
