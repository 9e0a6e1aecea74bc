using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gates.Bench;
using Pipeline.Gates.Canary.Statistics;

// The canary gate simulation (docs/BENCHMARKS.md, docs/GATES.md): three gates over the same seeded request streams —
// false rollbacks of healthy releases, detection times per effect, rollbacks of canaries sitting exactly at the
// margin, and how close any valid error test could come to the other gates' times (Reach.cs).
//   dotnet run -c Release --project build/Gates.Bench -- [--fast] [--out=DIR]
// --fast: 300 healthy releases and 30 runs per effect (seconds; what the test suite runs); default 10,000 and 200.
var fast = args.Contains("--fast");
var outDir = args.FirstOrDefault(a => a.StartsWith("--out="))?[6..] ?? "artifacts/gate-bench";
Directory.CreateDirectory(outDir);
int healthyRuns = fast ? 300 : 10_000, effectRuns = fast ? 30 : 200, powerRuns = fast ? 20 : 100;
var culture = CultureInfo.InvariantCulture;

var baseline = Simulation.Baseline();
if (args.Contains("--explain"))
{
    // Why healthy releases time out: the last verdict of the step that gave up.
    for (var seed = 1; seed <= 40; seed++)
    {
        var t = new Traffic(seed);
        var g = new AnytimeGate(AnytimeGate.LocalConfig(0.05), baseline);
        var step = new List<(Second, Second)>();
        Decision d;
        do { step.Add(t.Next(0.05, Effect.None)); d = g.Look(step); } while (d == Decision.Wait);
        if (d != Decision.Pass) Console.WriteLine($"seed {seed}: {d} after {step.Count} s — {g.LastSummary}");
    }
    return;
}
// The new gate's inconclusive timeout scales with the first step's weight: local.yaml gives a 10 % step 45 s; a 5 %
// step gets the same exposure (90 s), as prod's 5 % first step gets 600 s. The other gates keep their own settings.
Func<IGate> Anytime(double weight) => () => new AnytimeGate(AnytimeGate.LocalConfig(weight), baseline);
Func<IGate>[] Gates(double weight) => [Anytime(weight), () => new FixedWindowGate(), () => new ThresholdGate()];
var gates = Gates(0.10);
var names = gates.Select(g => g().Name).ToArray();
var report = new StringBuilder();
var watch = Stopwatch.StartNew();

report.AppendLine($"200 req/s, steps [w, 25 %, 50 %] each judged, looks every second; {healthyRuns:N0} healthy releases and {effectRuns} runs per effect per gate and weight.\n");
report.AppendLine("| gate | weight | false rollbacks (healthy releases) | of which timeouts |");
report.AppendLine("|---|---|---|---|");
foreach (var weight in new[] { 0.05, 0.10 })
    for (var g = 0; g < gates.Length; g++)
    {
        var results = Simulation.Run(Gates(weight)[g], healthyRuns, weight, Effect.None, seedBase: 1);
        var rolled = results.Count(r => r.RolledBack);
        var timeouts = results.Count(r => r.How == Decision.Timeout);
        report.AppendLine($"| {names[g]} | {weight:P0} | {rolled}/{healthyRuns} = {(double)rolled / healthyRuns:P2} | {timeouts} |");
    }

Effect[] effects =
[
    new("+0.5 pp errors", ExtraErrorRate: 0.005), new("+2 pp errors", ExtraErrorRate: 0.02), new("+10 pp errors", ExtraErrorRate: 0.10),
    new("slowest 5 % +10 %", TailFactor: 1.1), new("slowest 5 % +50 %", TailFactor: 1.5), new("slowest 5 % +100 ms", TailAddSeconds: 0.100),
];
report.AppendLine("\nSeconds from the canary's first request to the rollback (median / p95 over rolled-back runs; caught = share rolled back before the release finished, by Fail unless timeouts are named):\n");
report.AppendLine("| effect | weight | " + string.Join(" | ", names) + " |");
report.AppendLine("|---|---|" + string.Join("", names.Select(_ => "---|")));
var runsOf = new Dictionary<(string Effect, double Weight, int Gate), List<ReleaseResult>>();
foreach (var effect in effects)
    foreach (var weight in new[] { 0.05, 0.10 })
    {
        var cells = Gates(weight).Select((g, i) =>
        {
            var r = runsOf[(effect.Name, weight, i)] = Simulation.Run(g, effectRuns, weight, effect, seedBase: 100_000);
            var times = r.Where(x => x.RolledBack).Select(x => (double)x.Seconds).Order().ToList();
            var timeouts = r.Count(x => x.How == Decision.Timeout);
            return times.Count == 0 ? $"never (0/{effectRuns})"
                : $"{Simulation.Quantile(times, 0.5):0} / {Simulation.Quantile(times, 0.95):0} s, caught {times.Count}/{effectRuns}"
                  + (timeouts > 0 ? $" ({timeouts} timeouts)" : "");
        });
        report.AppendLine($"| {effect.Name} | {weight:P0} | {string.Join(" | ", cells)} |");
    }

// At the margin: canaries that are NOT regressions by local.yaml's margin (errors up to ×2 stable's AND up to +1 point).
Effect[] atMargin = [new("2 × stable's errors (+0.1 pp: the ratio margin)", ExtraErrorRate: 0.001), new("+1 pp errors (the absolute margin)", ExtraErrorRate: 0.01)];
report.AppendLine($"\nAt the margin (no regression by local.yaml's definition): releases rolled back by a Fail / by a timeout, of {effectRuns}:\n");
report.AppendLine("| canary | weight | " + string.Join(" | ", names) + " |");
report.AppendLine("|---|---|" + string.Join("", names.Select(_ => "---|")));
foreach (var effect in atMargin)
    foreach (var weight in new[] { 0.05, 0.10 })
    {
        var cells = Gates(weight).Select(g =>
        {
            var r = Simulation.Run(g, effectRuns, weight, effect, seedBase: 300_000);
            return $"{r.Count(x => x.How == Decision.Fail)} / {r.Count(x => x.How == Decision.Timeout)}";
        });
        report.AppendLine($"| {effect.Name} | {weight:P0} | {string.Join(" | ", cells)} |");
    }

// Reach: could any test valid at the ratio margin match the better of the other two gates on the error effects?
var config = AnytimeGate.LocalConfig();
report.AppendLine($"\nReach (error effects): the target is the better of the other two gates' median and p95; to match it a gate must " +
    $"have rolled back ≥ 50.5 % / ≥ 95.5 % of the {effectRuns} runs by then. Upper bounds on P(Fail by that second) for ANY test whose false Fails " +
    $"at the ratio margin stay within α, spending all of α on that one second of the first step: given the error counts of both tracks " +
    $"(uniformly most powerful unbiased) and with stable's rate known exactly (Neyman-Pearson, canary alone); α = the whole budget " +
    $"{config.FalseRollbackBudget:0.##} or the error test's {config.ErrorAlpha:0.####}. Max LR: share of simulated first steps in which the " +
    $"likelihood ratio at its maximum — above every mixture e-value, the gate's included — reaches 1/α of the error test at some look from " +
    $"the 4th second on. Measured = the new gate's share rolled back by then.\n");
report.AppendLine("| effect | weight | target median / p95 | bound at median: UMPU α budget / α errors; stable known α budget; max LR α errors | bound at p95: same | measured at median / p95 |");
report.AppendLine("|---|---|---|---|---|---|");
foreach (var effect in effects.Where(e => e.ExtraErrorRate >= 0.02))
    foreach (var weight in new[] { 0.05, 0.10 })
    {
        List<double> Times(int gate) => [.. runsOf[(effect.Name, weight, gate)].Where(x => x.RolledBack).Select(x => (double)x.Seconds).Order()];
        var targets = new[] { 0.5, 0.95 }.Select(q => (int)Math.Min(Simulation.Quantile(Times(1), q), Simulation.Quantile(Times(2), q))).ToArray();
        string Bounds(int t) => $"{Reach.Conditional(weight, effect.ExtraErrorRate, config.MaxErrorRatio, t, config.FalseRollbackBudget):P0} / " +
            $"{Reach.Conditional(weight, effect.ExtraErrorRate, config.MaxErrorRatio, t, config.ErrorAlpha):P0}; " +
            $"{Reach.StableKnown(weight, effect.ExtraErrorRate, config.MaxErrorRatio, t, config.FalseRollbackBudget):P0}; " +
            $"{Reach.MaxLikelihoodRatio(weight, effect, config.MaxErrorRatio, t, config.ErrorAlpha, runs: fast ? 500 : 4000):P0}";
        var mine = runsOf[(effect.Name, weight, 0)];
        string Measured(int t) => $"{mine.Count(x => x.RolledBack && x.Seconds <= t) / (double)effectRuns:P0}";
        report.AppendLine($"| {effect.Name} | {weight:P0} | {targets[0]} / {targets[1]} s | {Bounds(targets[0])} | {Bounds(targets[1])} | {Measured(targets[0])} / {Measured(targets[1])} |");
    }

// Power curves: P(rolled back during the release) against the error-rate increase, 10 % weight.
double[] increases = [0, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05];
var plot = new ScottPlot.Plot();
for (var g = 0; g < gates.Length; g++)
{
    var ys = increases.Select(d => Simulation.Run(gates[g], powerRuns, 0.10, new Effect("e", ExtraErrorRate: d), seedBase: 500_000)
        .Count(r => r.RolledBack) / (double)powerRuns).ToArray();
    var line = plot.Add.Scatter(increases.Select(d => d * 100).ToArray(), ys);
    line.LegendText = names[g];
}
plot.Title("Canary gates: P(rollback during the release) vs error-rate increase (10 % weight, 200 req/s)");
plot.XLabel("canary error rate increase (percentage points; stable 0.1 %)");
plot.YLabel("P(rolled back)");
plot.ShowLegend();
var png = Path.Combine(outDir, "gate-power.png");
plot.SavePng(png, 1000, 560);

report.AppendLine($"\nPower curves: {png} ({powerRuns} runs per point). Wall time {watch.Elapsed.TotalSeconds:0} s.");
File.WriteAllText(Path.Combine(outDir, "gate-simulation.md"), report.ToString());
Console.WriteLine(report.ToString());

namespace Gates.Bench
{
    public sealed record ReleaseResult(bool RolledBack, int Seconds, Decision How);

    public static class Simulation
    {
        public static readonly double[] Steps = [0.25, 0.50];

        /// <summary>Stable's histogram over the 60 s before the step (the latency bounds' source), from a healthy stream.</summary>
        public static BucketHistogram Baseline()
        {
            var t = new Traffic(seed: 42);
            var seconds = Enumerable.Range(0, 60).Select(_ => t.Next(0, Effect.None).Stable).ToList();
            var gate = typeof(Buckets);
            var sum = new long[Buckets.Fine.Length + 1];
            foreach (var s in seconds) for (var i = 0; i < sum.Length; i++) sum[i] += s.Fine[i];
            long c = 0;
            return new BucketHistogram(sum.Select((n, i) => (i < Buckets.Fine.Length ? Buckets.Fine[i] : double.PositiveInfinity, (double)(c += n))));
        }

        /// <summary>Releases watched continuously through every judged step (the first at <paramref name="firstWeight"/>).</summary>
        public static List<ReleaseResult> Run(Func<IGate> gate, int runs, double firstWeight, Effect effect, int seedBase)
        {
            var results = new ReleaseResult[runs];
            Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = One(gate, seedBase + i, firstWeight, effect));
            return [.. results];
        }

        private static ReleaseResult One(Func<IGate> gateFactory, int seed, double firstWeight, Effect effect)
        {
            var traffic = new Traffic(seed);
            var elapsed = 0;
            foreach (var weight in new[] { firstWeight }.Concat(Steps))
            {
                var gate = gateFactory();
                var step = new List<(Second, Second)>();
                while (true)
                {
                    step.Add(traffic.Next(weight, effect));
                    elapsed++;
                    var d = gate.Look(step);
                    if (d == Decision.Pass) break;
                    if (d is Decision.Fail or Decision.Timeout) return new ReleaseResult(true, elapsed, d);
                }
            }
            return new ReleaseResult(false, elapsed, Decision.Pass);
        }

        public static double Quantile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }
}
