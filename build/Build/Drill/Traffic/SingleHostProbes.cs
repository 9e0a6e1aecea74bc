using System.Globalization;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// The drill's probes on a single-host environment: every running app container of the environment (one listing by
/// the env label, then podman's event stream: <see cref="AppInstanceWatch"/>) at its slot's loopback port, and
/// idempotency_keys counted with psql over the environment's socket. <paramref name="samplerSession"/> must have a runner of its own, not the
/// release's: the samplers run on background threads while the release runs commands, and a runner's history is
/// not synchronised.
/// </summary>
public static class SingleHostProbes
{
    public static DrillProbes For(SingleHostSession samplerSession)
    {
        var instances = new AppInstances(samplerSession);
        var layout = samplerSession.Layout;
        var port = samplerSession.Config.SingleHost.PostgresPort;
        var watch = new AppInstanceWatch(samplerSession.Runner, layout.Env, instances.List);
        return new DrillProbes(
            Discover: _ => Task.FromResult(Targets(watch.Running(), layout)),
            CountKeys: () => long.Parse(samplerSession.Runner.Run(
                Postgres.Psql(layout.PostgresSocketDir, port, SingleHostLayout.DbName, KeyCountSampler.Sql), timeout: TimeSpan.FromSeconds(5)).StandardOutput.Trim(),
                CultureInfo.InvariantCulture)) { Watch = watch };
    }

    /// <summary>Running app containers at their slot's published port (<see cref="SingleHostLayout.PortOf"/>, the port they were started with).</summary>
    public static IReadOnlyList<ProbeTarget> Targets(IReadOnlyList<WatchedInstance> running, SingleHostLayout layout) =>
        [.. running.Select(i => new ProbeTarget(i.Name, new Uri($"http://127.0.0.1:{layout.PortOf(i.Slot).ToString(CultureInfo.InvariantCulture)}")))];
}
