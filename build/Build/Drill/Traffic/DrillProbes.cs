using Orders.Bench;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// Where the drill's samplers look: the instances to probe, the idempotency-keys count (null: not sampled) and the
/// CPU counters (null: /proc/stat). <see cref="SingleHostProbes"/> builds them for a single-host environment;
/// tests pass a tiny local server.
/// </summary>
public sealed record DrillProbes(
    Func<CancellationToken, Task<IReadOnlyList<ProbeTarget>>> Discover,
    Func<long>? CountKeys = null,
    Func<CpuSample>? ReadCpu = null,
    TimeSpan? ReadinessInterval = null,
    TimeSpan? KeyCountInterval = null)
{
    /// <summary>What <see cref="Discover"/> keeps running (single-host: the podman event watch); stopped with the samplers.</summary>
    public IDisposable? Watch { get; init; }
}
