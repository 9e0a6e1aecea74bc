using Pipeline.Config;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Engine.Support;

/// <summary>
/// The state every release-engine fixture needs (the recording target, the Kubernetes fixture): a throwaway state
/// dir, a <see cref="ReleaseSession"/> over it, releases pinned by digest, and release.json in a known position.
/// </summary>
public sealed class TempReleaseSession : IDisposable
{
    public string Dir { get; }
    public ReleaseSession Session { get; }

    public TempReleaseSession(string prefix, EnvironmentConfig config, IToolRunner? runner, string actor)
    {
        Dir = Directory.CreateTempSubdirectory(prefix).FullName;
        Session = new ReleaseSession(config, Path.Combine(Dir, "state"), runner ?? new ToolRunner(TestCake.Create(), dryRun: false, []),
            new RunRecord { Environment = config.Name }, TestCake.Create().Log, actor);
    }

    /// <summary><paramref name="repository"/>@sha256:&lt;64 × <paramref name="digit"/>&gt; as <paramref name="version"/>.</summary>
    public static ReleaseImage Release(string repository, char digit, string version) => new(repository + "@sha256:" + new string(digit, 64), version);

    /// <summary>release.json: <paramref name="image"/> alone serves.</summary>
    public void StableServes(ReleaseImage image) => Session.Persist(new ReleaseState(image));

    /// <summary>release.json: <paramref name="stable"/> serves, <paramref name="candidate"/> is a canary live at <paramref name="percent"/>.</summary>
    public void CanaryLiveAt(ReleaseImage stable, ReleaseImage candidate, int percent) =>
        Session.Persist(new ReleaseState(stable, candidate, "canary", percent, DateTimeOffset.UtcNow));

    public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
}
