using Pipeline.Config;
using Pipeline.Drill.Contrast;

namespace Pipeline.Drill.Phases;

/// <summary>
/// The order of the drill. Releases 1 and 2 both run on schema 3, so phases 2–4 and 6 move between them (each to
/// the one not serving: <see cref="DrillRun.NextRelease"/>, so a partial drill releases for real too); the
/// schema train's end (release 3, the contract: schema 4, no way back) comes last, then the contrast that needs it.
/// Each seam-break contrast follows the real phase it mirrors.
/// </summary>
public static class DrillPlan
{
    public static IReadOnlyList<IDrillPhase> Full() =>
    [
        new BaselinePhase(),
        new ReleasePhase("2 rolling release", StrategyKind.Rolling),
        new NoReadinessGatePhase(),
        new ReleasePhase("3 canary release, promoted", StrategyKind.Canary),
        new BlueGreenPhase(),
        new NoDrainPhase(),
        new FaultyCanaryPhase("6a bad canary (errors)", Faults.Errors),
        new FaultyCanaryPhase("6b slow canary (latency)", Faults.Latency),
        new KillPhase(),
        new DatabaseOutagePhase(),
        new HealthChecksOffOutagePhase(),
        new IncompatibleMigrationPhase(),
        new SchemaTrainPhase(),
        new NoExpandContractPhase(),
    ];

    /// <summary>A phase's id: the first word of its name ("2", "C1", "6b").</summary>
    public static string IdOf(IDrillPhase phase) => phase.Name.Split(' ', 2)[0];

    /// <summary>
    /// The phases <c>--phases=2,3,4</c> names, in the drill's own order, always with the baseline (every release
    /// phase is judged against the traffic before it). A partial drill reproduces one figure in minutes instead of
    /// the whole drill's twenty; an unknown id is refused with the list of valid ones.
    /// </summary>
    public static IReadOnlyList<IDrillPhase> Select(IReadOnlyList<IDrillPhase> plan, string? ids)
    {
        if (ids is null) return plan;
        var wanted = ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var valid = plan.Select(IdOf).ToList();
        var unknown = wanted.Where(w => !valid.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
        if (wanted.Length == 0 || unknown.Count > 0)
            throw new ArgumentException($"--phases: {(wanted.Length == 0 ? "no phase named" : $"unknown phase {string.Join(", ", unknown.Select(u => $"'{u}'"))}")}; the drill's phases are {string.Join(", ", valid)}.");
        return [.. plan.Where((p, i) => i == 0 || wanted.Contains(IdOf(p), StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The shortened drill of the test suite: releases 1 and 2 only, seconds per phase, one contrast.</summary>
    public static IReadOnlyList<IDrillPhase> Short() =>
    [
        new BaselinePhase(),
        new ReleasePhase("2 rolling release", StrategyKind.Rolling),
        new NoReadinessGatePhase(),
        new ReleasePhase("3 canary release, promoted", StrategyKind.Canary),
        new FaultyCanaryPhase("6a bad canary (errors)", Faults.Errors),
        new DatabaseOutagePhase(),
        new HealthChecksOffOutagePhase(),
    ];

    /// <summary>
    /// What the faulty canaries get (ORDERS_FAULT_*, app/Orders.Api/Faults): errors only, or latency only — both only
    /// after each instance's first 20 API requests, so warm-up (6) and smoke test (2) pass and the canary gate must
    /// catch the regression under user traffic (at 30 % errors from the first request, the smoke test always did).
    /// </summary>
    public static class Faults
    {
        public const string AfterRequests = "20";
        public static readonly IReadOnlyDictionary<string, string> Errors = new Dictionary<string, string> { ["ORDERS_FAULT_ERROR_RATE"] = "0.3", ["ORDERS_FAULT_AFTER_REQUESTS"] = AfterRequests };
        public static readonly IReadOnlyDictionary<string, string> Latency = new Dictionary<string, string> { ["ORDERS_FAULT_EXTRA_LATENCY_MS"] = "250", ["ORDERS_FAULT_AFTER_REQUESTS"] = AfterRequests };
    }
}
