using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>
/// One throw-away single-host environment ("it-xxxxxx", free ports, temp state dir) on real components.
/// Dispose runs Down and removes anything left, even after a failed test.
/// </summary>
public sealed class SingleHostTestEnvironment : IDisposable
{
    public string Name { get; } = "it-" + Guid.NewGuid().ToString("N")[..6];
    public string Dir { get; }
    public EnvironmentConfig Config { get; }
    public SingleHostSession Session { get; }
    public SingleHostEnvironment Env { get; }
    public SingleHostRelease Release { get; }
    public IToolRunner Runner { get; }

    public SingleHostTestEnvironment(string strategy = "canary", int replicas = 3, string steps = "[25, 50, 100]", int drainDelay = 1, string? smokePaths = null)
    {
        Dir = Directory.CreateTempSubdirectory("sh-it-").FullName;
        var file = Path.Combine(Dir, Name + ".yaml");
        File.WriteAllText(file, smokePaths is null
            ? TestEnvironmentFile.Yaml(Name, strategy, replicas, steps: steps, drainDelay: drainDelay)
            : TestEnvironmentFile.Yaml(Name, strategy, replicas, steps: steps, drainDelay: drainDelay, smokePaths: smokePaths));
        Config = ConfigLoader.Load(Dir, Name, honourOverride: false); // its own file, even when the caller points RELEASE_ENVIRONMENTS_DIR elsewhere
        var cake = TestCake.Create();
        // As the pipeline runs them (BuildContext): podman in the tools' low-weight CPU group, so that the release
        // benchmarks and the integration tests measure the same thing a release does.
        Runner = new ToolRunner(cake, dryRun: false, ["/usr/lib/postgresql/15/bin", "/usr/sbin"]) { Background = ToolCpuGroup.Prepare("/sys/fs/cgroup", out _) };
        Session = new SingleHostSession(Config, Path.Combine(Dir, "state", Name), Runner, new RunRecord { Environment = Name }, cake.Log, "integration-test");
        Env = new SingleHostEnvironment(Session);
        Release = new SingleHostRelease(Session);
    }

    public int LbPort => Config.SingleHost.LoadBalancerPort;

    /// <summary>Up with <paramref name="image"/> as the stable release, recorded in the audit trail as the tasks would.</summary>
    public List<string> UpWith(string image, IReadOnlyDictionary<string, string>? instanceEnvironment = null)
    {
        var release = SingleHostRelease.Describe(Session, image);
        var changes = Env.Up(release, instanceEnvironment);
        Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow, "promote", Name, "integration-test", image, "up", "succeeded", [], AppVersion: release.Version));
        return changes;
    }

    /// <summary>Versions that answered n requests through HAProxy (X-App-Version), with counts.</summary>
    public Dictionary<string, int> VersionsServing(int n = 60, string path = "/orders?limit=1")
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < n; i++)
        {
            using var r = SingleHostSession.Http.GetAsync($"http://127.0.0.1:{LbPort}{path}").GetAwaiter().GetResult();
            var v = r.Headers.TryGetValues("X-App-Version", out var vs) ? vs.First() : $"HTTP {(int)r.StatusCode}";
            if (!r.IsSuccessStatusCode) v += $" HTTP {(int)r.StatusCode}";
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        return counts;
    }

    public void Dispose()
    {
        try { Env.Down(); }
        catch (Exception e) { Session.Log.Warning("Down failed in cleanup: {0}", e.Message); }
        // Belt and braces: nothing of this environment may survive a failed test.
        var left = Runner.Run(Podman.Command("ps", "-a", "--filter", $"label={SingleHostLayout.EnvLabel}={Name}", "--format", "{{.Names}}"), allowFailure: true).StandardOutput;
        foreach (var c in left.Split('\n', StringSplitOptions.RemoveEmptyEntries)) Runner.Run(Podman.Remove(c), allowFailure: true);
        Runner.Run(Podman.Command("rm", "-f", "-t", "0", Session.Layout.ContainerNamePrefix + "intruder"), allowFailure: true);
        Runner.Run(Podman.NetworkRemove(Session.Layout.NetworkName), allowFailure: true);
        try { Directory.Delete(Dir, true); } catch (IOException) { }
        var pg = Session.Layout.PostgresDir;
        if (!pg.StartsWith(Dir, StringComparison.Ordinal) && Directory.Exists(pg)) try { Directory.Delete(pg, true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SingleHostCollection : ICollectionFixture<TestImages>
{
    public const string Name = "single-host integration";
}
