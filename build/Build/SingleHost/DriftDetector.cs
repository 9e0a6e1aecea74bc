using Pipeline.Records;

namespace Pipeline.SingleHost;

public sealed record DriftReport(int Checks, IReadOnlyList<string> Differences)
{
    public string Render() => string.Join("\n", Differences.Select(d => "  - " + d));

    public GateVerdict ToVerdict() => Differences.Count == 0
        ? new GateVerdict("drift", Verdict.Pass, $"no drift ({Checks} checks)")
        : new GateVerdict("drift", Verdict.Fail, $"{Differences.Count} difference(s): " + string.Join("; ", Differences));
}

/// <summary>What should run, derived from configuration + release.json/audit trail.</summary>
public sealed record DeclaredState(ReleaseImage? Stable, ReleaseImage? Candidate, int CanaryPercent, int Replicas, string ImageId, string? CandidateImageId);

/// <summary>What runs, as observed.</summary>
public sealed record ObservedState(IReadOnlyList<AppInstance> Instances, IReadOnlyList<ForeignContainer> Foreign, IReadOnlyList<LbServer> Servers, int SchemaVersion, (int Min, int Max)? DeclaredSchema, bool ConfigMatches, bool HaproxyRunning, bool PrometheusRunning, bool PostgresRunning,
    IReadOnlyList<string>? SchemaDifferences = null);

/// <summary>A container that is not one of the environment's instances but touches it (its names, ports or images), and why it counts.</summary>
public sealed record ForeignContainer(AppInstance Container, IReadOnlyList<string> Reasons);

/// <summary>
/// DriftCheck for the single host: declared (config + the release recorded as stable/in progress) versus
/// what runs (containers and their image IDs, LB servers' states and weights, PG schema version, config
/// files of the daemons). Pure comparison in <see cref="Compare"/>; observation in <see cref="Assess"/>.
/// </summary>
public sealed class DriftDetector(SingleHostSession session)
{
    public DriftReport Assess()
    {
        var l = session.Layout;
        var state = ReleaseState.Load(l.ReleaseStateFile);
        if (state.Stable is null && session.Audit.CurrentRelease() is { } current)
            state = new ReleaseState(new ReleaseImage(current.ImageDigest, current.AppVersion ?? ""));
        // A first install not yet promoted: the candidate is all there is, so it is what is declared.
        if (state.Stable is null && state.Candidate is not null) state = new ReleaseState(state.Candidate);
        var apps = new AppInstances(session);
        string Id(string image) => session.DryRun ? "" : session.Runner.Run(Tools.Podman.ImageId(image), allowFailure: true).StandardOutput.Trim();
        var declared = new DeclaredState(state.Stable, state.Candidate, state.CanaryPercent, session.Config.Replicas,
            state.Stable is null ? "" : Id(state.Stable.Image), state.Candidate is null ? null : Id(state.Candidate.Image));
        var mine = apps.List();
        var declaredImages = new[] { state.Stable, state.Candidate }.OfType<ReleaseImage>().Select(r => r.Image).ToHashSet(StringComparer.Ordinal);
        var foreign = apps.ListAll().Where(i => !mine.Any(m => m.Name == i.Name))
            .Select(i => new ForeignContainer(i, ForeignReasons(i, l, declaredImages))).Where(f => f.Reasons.Count > 0).ToList();
        var haproxyUp = Daemon.RunningPid(l.HaproxyPid) is not null;
        var pg = new PostgresCluster(session);
        // The schema every serving release can run on: inside the stable's contract, and during a release inside
        // the candidate's too (the deploy migrates no further, see MigrationTarget).
        var contracts = session.DryRun ? [] : new[] { state.Stable, state.Candidate }.OfType<ReleaseImage>().Select(r => apps.Contract(r.Image)).ToList();
        (int, int)? declaredSchema = contracts.Count == 0 ? null : (contracts.Max(c => c.SchemaMin), contracts.Min(c => c.SchemaMax));
        var schemaVersion = pg.SchemaVersion();
        // The catalog against what the applied migrations declare (columns, types, constraints, indexes).
        var schemaDifferences = schemaVersion > 0 && (state.Stable ?? state.Candidate) is { } release
            ? new DeclaredSchema(session).Differences(release.Image, schemaVersion) : null;
        var observed = new ObservedState(mine, foreign, haproxyUp ? new LoadBalancer(session).Servers() : [],
            schemaVersion, declaredSchema,
            File.Exists(l.HaproxyConfig) && File.ReadAllText(l.HaproxyConfig) == HaproxyConfig.Render(l),
            haproxyUp, Daemon.RunningPid(l.PrometheusPid) is not null, pg.IsRunning(), schemaDifferences);
        return Compare(declared, observed, l);
    }

    /// <summary>
    /// Why a container that is not labelled as one of ours still concerns this environment: its name, a port of
    /// the environment (app slots and daemons: a squatter there takes a slot's traffic or blocks a deploy), or
    /// our images (a copy of an instance outside the load balancer and the gates). Another environment's own
    /// instances may share a registry and images, so only the port check applies to them.
    /// </summary>
    public static List<string> ForeignReasons(AppInstance c, SingleHostLayout l, IReadOnlySet<string> declaredImages)
    {
        var reasons = new List<string>();
        if (c.Name.StartsWith(l.ContainerNamePrefix, StringComparison.Ordinal))
            reasons.Add("named like this environment's instances but not labelled as one");
        var h = l.Config.SingleHost;
        var envPorts = Enumerable.Range(h.AppPortBase, l.SlotCount).Concat([h.LoadBalancerPort, h.StatsPort, h.PrometheusPort, h.RegistryPort, h.PostgresPort]).ToHashSet();
        foreach (var p in (c.HostPorts ?? []).Where(envPorts.Contains).Distinct().Order())
            reasons.Add($"publishes port {p}, one of this environment's ports");
        var otherEnvironment = c.Labels.TryGetValue(SingleHostLayout.EnvLabel, out var env) && env != l.Env;
        var repository = $"{l.Config.Image.Registry}/{l.Config.Image.Repository}";
        if (!otherEnvironment && (declaredImages.Contains(c.Image) || c.Image.StartsWith(repository + "@", StringComparison.Ordinal) || c.Image.StartsWith(repository + ":", StringComparison.Ordinal)))
            reasons.Add("runs this environment's image");
        return reasons;
    }

    public static DriftReport Compare(DeclaredState d, ObservedState o, SingleHostLayout layout)
    {
        var diffs = new List<string>();
        var checks = 0;
        void Check(bool ok, string message) { checks++; if (!ok) diffs.Add(message); }

        Check(o.PostgresRunning, "postgresql: declared running, is not");
        Check(o.HaproxyRunning, "haproxy: declared running, is not");
        Check(o.PrometheusRunning, "prometheus: declared running, is not");
        Check(!o.HaproxyRunning || o.ConfigMatches, $"haproxy: {layout.HaproxyConfig} differs from the configuration rendered from {Path.GetFileName(layout.Config.SourceFile)}");
        foreach (var x in o.Foreign)
            Check(false, $"container {x.Container.Name}: {string.Join("; ", x.Reasons)} (not an instance of this environment; started out of band, image {x.Container.Image})");
        foreach (var line in o.SchemaDifferences ?? []) Check(false, line);

        if (d.Stable is null)
        {
            Check(o.Instances.Count == 0, $"containers: no release declared, {o.Instances.Count} running");
            return new DriftReport(checks, diffs);
        }
        var running = o.Instances.Where(i => i.Running).ToList();
        foreach (var i in o.Instances.Where(i => !i.Running)) Check(false, $"container {i.Name}: exists but is not running ({i.Version})");
        var knownIds = new[] { d.ImageId, d.CandidateImageId }.Where(x => !string.IsNullOrEmpty(x)).Select(x => x!).ToHashSet();
        foreach (var i in running)
        {
            var declaredImage = i.Image == d.Stable.Image || i.Image == d.Candidate?.Image;
            Check(declaredImage, $"container {i.Name}: runs {i.Image} ({i.Version}); declared {d.Stable.Image}{(d.Candidate is null ? "" : " or candidate " + d.Candidate.Image)}");
            if (declaredImage && knownIds.Count > 0 && i.ImageId.Length > 0)
                Check(knownIds.Any(k => k.StartsWith(i.ImageId, StringComparison.Ordinal) || i.ImageId.StartsWith(k, StringComparison.Ordinal)),
                    $"container {i.Name}: labelled {i.Image} but its image ID is {i.ImageId[..Math.Min(12, i.ImageId.Length)]}");
        }
        var stableCount = running.Count(i => i.Image == d.Stable.Image);
        if (d.Candidate is null) Check(stableCount == d.Replicas, $"instances of {d.Stable.Version}: declared {d.Replicas}, running {stableCount}");
        else Check(stableCount + running.Count(i => i.Image == d.Candidate.Image) >= d.Replicas, $"instances: fewer than the declared {d.Replicas} during the release of {d.Candidate.Version}");

        // Load balancer: every running declared instance enabled with the weight its track should have; nothing else enabled.
        var main = o.Servers.Where(s => s.Backend == SingleHostLayout.Backend).ToDictionary(s => s.Server);
        var bySlot = running.Where(i => i.Slot is not null).ToDictionary(i => SingleHostLayout.ServerOf(i.Slot!.Value));
        var canaryRunning = running.Count(i => d.Candidate is not null && i.Image == d.Candidate.Image);
        var (ws, wc) = d.Candidate is null ? (100, 0) : TrafficWeights.For(d.CanaryPercent, stableCount, canaryRunning);
        if (d.Candidate is not null && d.CanaryPercent == 0) (ws, wc) = (100, 0);
        foreach (var (name, server) in main)
        {
            var enabled = !server.Status.StartsWith("MAINT", StringComparison.Ordinal);
            if (!bySlot.TryGetValue(name, out var inst))
            {
                Check(!enabled, $"haproxy {SingleHostLayout.Backend}/{name}: enabled ({server.Status}) but no instance of this environment behind it");
                continue;
            }
            var isCanary = d.Candidate is not null && inst.Image == d.Candidate.Image;
            Check(enabled, $"haproxy {SingleHostLayout.Backend}/{name}: in maintenance, but {inst.Name} runs behind it");
            if (enabled) Check(server.Status.StartsWith("UP", StringComparison.Ordinal), $"haproxy {SingleHostLayout.Backend}/{name}: status {server.Status} (its health check fails)");
            var expected = isCanary ? wc : ws;
            Check(!enabled || server.Weight == expected, $"haproxy {SingleHostLayout.Backend}/{name}: weight {server.Weight}, declared {expected} ({(isCanary ? "canary" : "stable")}{(d.Candidate is null ? "" : $", canary at {d.CanaryPercent}%")})");
        }
        if (o.DeclaredSchema is { } range && o.SchemaVersion >= 0)
            Check(o.SchemaVersion >= range.Min && o.SchemaVersion <= range.Max,
                $"database schema: version {o.SchemaVersion}, outside {range.Min}–{range.Max}, the range every serving release supports");
        return new DriftReport(checks, diffs);
    }
}
