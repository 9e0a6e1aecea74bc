using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 7b: PostgreSQL stopped for <see cref="DrillTimings.DatabaseOutage"/>. Every instance's readiness must turn
/// red (the LB stops sending it work) while its liveness stays green (nothing restarts it: a restart storm is the
/// outage liveness-without-the-database prevents), no container is replaced or restarted (ids and restart counts
/// before = after), and traffic is served again within 5 s of the database's return.
/// </summary>
public sealed class DatabaseOutagePhase : IDrillPhase
{
    public string Name => "7b PostgreSQL unavailable";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var slots = run.ServingSlots();
        var before = Identities(s, slots);
        var start = DateTimeOffset.UtcNow;
        var (backAt, red, live) = await OutageAsync(run, slots, ct);
        await Task.Delay(run.Timings.Settle + TimeSpan.FromSeconds(5), ct);
        var end = DateTimeOffset.UtcNow;
        var after = Identities(s, slots);
        await run.SettleAsync(ct);
        return PhaseJudge.OutageRecovered(Name, start, end, run.Between(start, end), backAt, before == after, red, live);
    }

    /// <summary>Stops PostgreSQL, probes every instance half-way through, starts it again; returns when it came back.</summary>
    internal static async Task<(DateTimeOffset BackAt, bool ReadinessRed, bool LivenessGreen)> OutageAsync(DrillRun run, IReadOnlyList<int> slots, CancellationToken ct)
    {
        var s = run.Session;
        var l = s.Layout;
        s.Runner.Run(Postgres.Stop(l.PostgresData), timeout: TimeSpan.FromSeconds(60));
        s.Event("drill", "postgresql stopped", $"for {run.Timings.DatabaseOutage.TotalSeconds:0} s");
        try
        {
            await Task.Delay(run.Timings.DatabaseOutage / 2, ct);
            var red = true;
            var live = true;
            foreach (var slot in slots)
            {
                red &= await StatusAsync(l.PortOf(slot), "/healthz/ready") != 200;
                live &= await StatusAsync(l.PortOf(slot), "/healthz/live") == 200;
            }
            await Task.Delay(run.Timings.DatabaseOutage / 2, ct);
            return (DateTimeOffset.UtcNow, red, live);
        }
        finally
        {
            s.Runner.Run(Postgres.Start(l.PostgresData, l.PostgresLog, s.Config.SingleHost.PostgresPort, l.PostgresSocketDir, s.Config.SingleHost.PostgresMaxConnections), timeout: TimeSpan.FromSeconds(60));
            s.Event("drill", "postgresql started");
        }
    }

    private static async Task<int> StatusAsync(int port, string path)
    {
        try
        {
            using var r = await SingleHostSession.Http.GetAsync($"http://127.0.0.1:{port}{path}");
            return (int)r.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return 0; }
    }

    /// <summary>"name id restarts" per container: equal before and after means nothing was replaced or restarted.</summary>
    internal static string Identities(SingleHostSession s, IReadOnlyList<int> slots) =>
        s.Runner.Run(DrillCommands.Identities([.. slots.Select(s.Layout.ContainerOf)])).StandardOutput.Trim();
}
