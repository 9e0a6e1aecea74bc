using System.Globalization;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// The drill's probes on a single-host environment: every running app container of the environment (podman ps by
/// the env label, see <see cref="AppInstances"/>) at its published loopback port, and idempotency_keys counted with
/// psql over the environment's socket. <paramref name="samplerSession"/> must have a runner of its own, not the
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
        return new DrillProbes(
            Discover: _ => Task.FromResult(Targets(instances.List())),
            CountKeys: () => long.Parse(samplerSession.Runner.Run(
                Postgres.Psql(layout.PostgresSocketDir, port, SingleHostLayout.DbName, KeyCountSampler.Sql), timeout: TimeSpan.FromSeconds(5)).StandardOutput.Trim(),
                CultureInfo.InvariantCulture));
    }

    /// <summary>Running app containers with a published port; a stopped container is not probed (it is gone).</summary>
    public static IReadOnlyList<ProbeTarget> Targets(IReadOnlyList<AppInstance> listed) =>
        [.. listed.Where(i => i.Running && i.HostPorts is { Count: > 0 })
            .Select(i => new ProbeTarget(i.Name, new Uri($"http://127.0.0.1:{i.HostPorts![0].ToString(CultureInfo.InvariantCulture)}")))];
}
