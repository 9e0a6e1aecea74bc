using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// Everything single-host code needs from a run, without the Cake host: the target-neutral
/// <see cref="ReleaseSession"/> (configuration, runner, record, log, release.json, lock, audit trail) plus the
/// single-host layout, the canary judge and the candidates' extra environment. Tasks build it from the
/// BuildContext, integration tests from their own temp environment.
/// </summary>
public sealed class SingleHostSession(EnvironmentConfig config, string stateDir, IToolRunner runner, RunRecord record, ICakeLog log, string actor)
    : ReleaseSession(config, stateDir, runner, record, log, actor)
{
    public SingleHostLayout Layout { get; } = new(config, stateDir);

    /// <summary>The judge of canary steps; the gate helper's implementation replaces the built-in one.</summary>
    public ICanaryJudge? Judge { get; set; }

    /// <summary>Extra env for candidate instances only (fault injection in tests and benchmarks).</summary>
    public IReadOnlyDictionary<string, string> CandidateEnvironment { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Schema contracts already read in this run, by digest reference: a digest names immutable content, so its
    /// contract never changes. WHY: every deploy asked the candidate's and the stable's contract three times, each a
    /// one-off `podman run … schema-contract` (~1 s on a busy host) — most of the 4 s a rolling step spent before
    /// its migration started.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, SchemaContract> SchemaContracts { get; } = new(StringComparer.Ordinal);

    /// <summary>Digests known to be in local storage this run: `podman image exists` cost ~0.2 s per ask, twice per release.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> PresentImages { get; } = new(StringComparer.Ordinal);

    public static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(10) };
}
