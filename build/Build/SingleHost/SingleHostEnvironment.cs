using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.SingleHost.Strategies;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// The single-host target's verbs: Up, Down, Deploy (first part of a strategy), Promote (the rest),
/// Rollback. Each mutating verb holds the environment lock for its whole duration.
/// </summary>
public sealed class SingleHostEnvironment(SingleHostSession session)
{
    private SingleHostLayout L => session.Layout;
    private readonly AppInstances _apps = new(session);
    private readonly LoadBalancer _lb = new(session);

    public EnvironmentLock Lock(string target) =>
        session.DryRun ? EnvironmentLock.AcquireNone() : EnvironmentLock.Acquire(L.LockFile, L.Env, session.Actor, target);

    public ReleaseState State => ReleaseState.Load(L.ReleaseStateFile);

    /// <summary>Components only (no app instances): secret, PostgreSQL, podman secret and network, HAProxy, Prometheus.</summary>
    public List<string> ReconcileInfrastructure()
    {
        var changes = new List<string>();
        if (!session.DryRun) Directory.CreateDirectory(L.StateDir);
        var existed = File.Exists(L.DbPasswordFile);
        var password = session.DryRun ? "" : DbPassword.EnsureFile(L.DbPasswordFile);
        if (!existed) changes.Add("secret: database password generated (0600, never printed)");
        changes.AddRange(new PostgresCluster(session).Reconcile(password));
        if (session.Runner.Run(Podman.SecretInspect(L.SecretName), allowFailure: true).ExitCode != 0 || !existed)
        {
            session.Runner.Run(Podman.SecretRemove(L.SecretName), allowFailure: true);
            session.Runner.Run(Podman.SecretCreate(L.SecretName, L.DbPasswordFile));
            changes.Add($"podman secret {L.SecretName} created from the state dir");
        }
        if (session.Runner.Run(Podman.NetworkExists(L.NetworkName), allowFailure: true).ExitCode != 0)
        {
            session.Runner.Run(Podman.NetworkCreate(L.NetworkName, SingleHostLayout.EnvLabel, L.Env));
            changes.Add($"podman network {L.NetworkName} created (bridge, isolated, no DNS)");
        }
        changes.AddRange(new HaproxyService(session).Reconcile());
        changes.AddRange(new PrometheusService(session).Reconcile());
        var flagsBefore = File.Exists(L.FlagsFile) ? File.ReadAllText(L.FlagsFile) : null;
        _apps.WriteFlags();
        if (!session.DryRun && flagsBefore != File.ReadAllText(L.FlagsFile)) changes.Add($"flags: {L.FlagsFile} written from app.flags");
        return changes;
    }

    /// <summary>How long a listed instance of the declared release gets to answer ready before Up replaces it
    /// (its database may have been started a moment ago by the same Up: the app reconnects within seconds).</summary>
    public static readonly TimeSpan DeadProbe = TimeSpan.FromSeconds(10);

    /// <summary>The instances that do not turn ready within <see cref="DeadProbe"/>, probed in parallel, with what was seen.</summary>
    private Dictionary<AppInstance, string> NotReady(IEnumerable<AppInstance> instances)
    {
        var probes = instances.Select(i => (i, Task.Run(() => _apps.NotReadyWithin(i.Slot!.Value, DeadProbe)))).ToList();
        return probes.Where(p => p.Item2.GetAwaiter().GetResult() is not null).ToDictionary(p => p.i, p => p.Item2.Result!);
    }

    /// <summary>
    /// What a deploy would have to boot first (Kamal's "deploy boots what is missing"): components that do not
    /// run, the declared release when none of its instances runs, and any instance of it that podman lists as
    /// running but that does not answer ready (nothing behind podman's record). Empty: the environment is up, and what
    /// differs from the declaration is drift for DriftCheck to report, not something to quietly repair.
    /// </summary>
    public List<string> Missing(string? declaredImage)
    {
        if (session.DryRun) return [];
        var missing = new List<string>();
        if (!new PostgresCluster(session).IsRunning()) missing.Add("postgresql");
        if (Daemon.RunningPid(L.HaproxyPid) is null) missing.Add("haproxy");
        if (Daemon.RunningPid(L.PrometheusPid) is null) missing.Add("prometheus");
        if (session.Runner.Run(Podman.SecretInspect(L.SecretName), allowFailure: true).ExitCode != 0) missing.Add("podman secret");
        if (session.Runner.Run(Podman.NetworkExists(L.NetworkName), allowFailure: true).ExitCode != 0) missing.Add("podman network");
        // Probing only matters when everything else runs: otherwise Up runs anyway and probes each instance itself.
        if (declaredImage is null || missing.Count > 0) return missing;
        var declared = _apps.List().Where(i => i.Running && i.Image == declaredImage && i.Slot is not null).ToList();
        if (declared.Count == 0) missing.Add($"instances of {declaredImage}");
        foreach (var (i, seen) in NotReady(declared))
            missing.Add($"instance {i.Name} (listed as running, not ready: {seen})");
        return missing;
    }

    /// <summary>
    /// Up: everything from the declared configuration plus the pinned image. Instances of the pinned image that
    /// already run and serve are kept; missing ones are started (after migrating), foreign ones retired.
    /// Returns the changes made (empty: "no changes").
    /// </summary>
    public List<string> Up(ReleaseImage? image, IReadOnlyDictionary<string, string>? instanceEnvironment = null)
    {
        var changes = ReconcileInfrastructure();
        if (image is null)
        {
            session.Log.Warning("No release to run yet (no successful release in the audit trail, no image.deploy, nothing pushed in this run): the environment is up without app instances.");
            return changes;
        }
        _apps.EnsureImage(image.Image);
        var running = _apps.List();
        var enabled = _lb.EnabledSlots().ToHashSet();
        var dead = NotReady(running.Where(i => i.Running && i.Image == image.Image && i.Slot is not null));
        var keep = running.Where(i => i.Running && i.Image == image.Image && i.Slot is not null && !dead.ContainsKey(i)).Take(L.Config.Replicas).ToList();
        foreach (var i in keep.Where(i => !enabled.Contains(i.Slot!.Value)))
        {
            _apps.AwaitReady(i.Slot!.Value, TimeSpan.FromSeconds(60));
            _lb.Enable(SingleHostLayout.Backend, i.Slot.Value, 100);
            _lb.AwaitUp(SingleHostLayout.Backend, i.Slot.Value, TimeSpan.FromSeconds(20));
            session.Event("joined-lb", SingleHostLayout.ServerOf(i.Slot.Value), "up: existing instance");
            changes.Add($"instance {i.Name}: joined the load balancer");
        }
        var missing = L.Config.Replicas - keep.Count;
        var used = running.Where(i => i.Slot is not null).Select(i => i.Slot!.Value).ToHashSet();
        var free = Enumerable.Range(0, L.SlotCount).Where(s => !used.Contains(s)).Take(Math.Max(0, missing)).ToList();
        if (missing > 0)
        {
            if (free.Count < missing) throw new InvalidOperationException($"Up needs {missing} free slots, has {free.Count}.");
            _apps.Migrate(image.Image);
            _apps.StartAll(free, image, instanceEnvironment);
            foreach (var s in free) _apps.AwaitReady(s, TimeSpan.FromSeconds(60));
            _apps.WarmAll(free);
            foreach (var s in free)
            {
                _lb.Enable(SingleHostLayout.Backend, s, 100);
                _lb.AwaitUp(SingleHostLayout.Backend, s, TimeSpan.FromSeconds(20));
                session.Event("joined-lb", SingleHostLayout.ServerOf(s), "up");
            }
            changes.Add($"{missing} instance(s) of {image.Version} started and joined");
        }
        foreach (var i in running.Where(i => !keep.Contains(i)))
        {
            if (i.Slot is { } slot && enabled.Contains(slot))
            {
                _lb.StartDrain(slot);
                _lb.AwaitIdle(slot, TimeSpan.FromSeconds(L.Config.App.GracePeriodSeconds));
                _lb.Maint(SingleHostLayout.Backend, slot);
            }
            if (i.Slot is { } s2) _apps.Stop(s2); else session.Runner.Run(Podman.Remove(i.Name), allowFailure: true);
            changes.Add(dead.TryGetValue(i, out var seen)
                ? $"instance {i.Name} ({i.Version}): listed as running but not ready ({seen}), replaced"
                : $"instance {i.Name} ({i.Version}): not declared, retired");
        }
        var state = State;
        if (state.Stable != image || state.Candidate is not null)
        {
            session.Persist(new ReleaseState(image));
            if (state.Stable != image) changes.Add($"release.json: stable = {image.Version}");
        }
        _apps.SyncScrapeTargets(new ReleaseState(image));
        return changes;
    }

    /// <summary>Down: containers, podman secret and network, HAProxy, Prometheus, PostgreSQL and the state dir — except the audit trail.</summary>
    public List<string> Down()
    {
        var removed = new List<string>();
        foreach (var i in _apps.List())
        {
            session.Runner.Run(Podman.Remove(i.Name), allowFailure: true);
            removed.Add("container " + i.Name);
        }
        if (session.Runner.Run(Podman.SecretInspect(L.SecretName), allowFailure: true).ExitCode == 0 || session.DryRun)
        {
            session.Runner.Run(Podman.SecretRemove(L.SecretName), allowFailure: true);
            removed.Add("podman secret " + L.SecretName);
        }
        if (session.Runner.Run(Podman.NetworkExists(L.NetworkName), allowFailure: true).ExitCode == 0 || session.DryRun)
        {
            session.Runner.Run(Podman.NetworkRemove(L.NetworkName), allowFailure: true);
            removed.Add("podman network " + L.NetworkName);
        }
        new HaproxyService(session).Remove();
        new PrometheusService(session).Remove();
        new PostgresCluster(session).Remove();
        removed.Add("haproxy, prometheus, postgresql");
        if (!session.DryRun && Directory.Exists(L.StateDir))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(L.StateDir))
            {
                var name = Path.GetFileName(entry);
                // The audit trail outlives the environment (who deployed what, when); the lock is released by its
                // holder; the registry (image area) keeps the releases a later Up or Rollback needs.
                if (name is AuditTrail.FileName or "registry" || entry == L.LockFile) continue;
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true); else File.Delete(entry);
            }
        }
        return removed;
    }

    /// <summary>Plans a release of <paramref name="candidate"/> with the configured strategy (first install: rolling).</summary>
    public (IDeploymentStrategy Strategy, DeploymentPlan Plan) PlanRelease(ReleaseState state, ReleaseImage candidate)
    {
        var running = _apps.List().Where(i => i.Running && i.Slot is not null).ToList();
        var enabled = session.DryRun ? [] : _lb.EnabledSlots().ToHashSet();
        var stable = running.Where(i => i.Image != candidate.Image && enabled.Contains(i.Slot!.Value)).Select(i => i.Slot!.Value).Order().ToList();
        if (running.Any(i => i.Image == candidate.Image) && state.Candidate?.Image == candidate.Image)
            throw new InvalidOperationException($"{candidate.Version} is already being released (release.json); Promote or Rollback first.");
        var used = _apps.List().Where(i => i.Slot is not null).Select(i => i.Slot!.Value).ToHashSet();
        var free = Enumerable.Range(0, L.SlotCount).Where(s => !used.Contains(s)).ToList();
        var s = L.Config.Strategy;
        var strategy = stable.Count == 0 ? new RollingStrategy() : DeploymentStrategies.For(s.Kind);
        var plan = strategy.Plan(new ReleasePlan(stable, free, L.Config.Replicas, s.MaxSurge, s.MaxUnavailable, s.Steps, s.PauseSeconds));
        return (strategy, plan);
    }

    public async Task<ReleaseState> DeployAsync(ReleaseImage candidate, CancellationToken ct = default)
    {
        _apps.EnsureImage(candidate.Image);
        var state = State;
        if (state.Candidate is not null && state.Candidate.Image != candidate.Image)
            throw new InvalidOperationException($"Release of {state.Candidate.Version} is still in progress (release.json); Promote or Rollback it first.");
        var (strategy, plan) = PlanRelease(state, candidate);
        state = state with { Candidate = candidate, Strategy = strategy.Name, CanaryPercent = 0, StepStartedAt = null };
        session.Persist(state);
        var executor = NewExecutor(state);
        await executor.RunAsync(plan.Deploy, ct);
        return executor.State;
    }

    private PlanExecutor NewExecutor(ReleaseState state)
    {
        var executor = new PlanExecutor(session, state);
        session.Judge ??= new PrometheusCanaryJudge(session, session.VerdictDir);
        return executor;
    }

    /// <summary>
    /// Returns to <paramref name="target"/>. If instances of it still run (blue-green's old set, a canary's
    /// stable set) traffic shifts to them at once, then the rest retire; otherwise it is started beside the
    /// current release and traffic moves when it is ready. There is never a moment without a ready instance.
    /// </summary>
    public async Task<(long ToTargetMs, bool WasRunning)> RollbackAsync(ReleaseImage target, CancellationToken ct = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var running = _apps.List().Where(i => i.Running && i.Slot is not null).ToList();
        var enabled = _lb.EnabledSlots().ToHashSet();
        var targetSlots = running.Where(i => i.Image == target.Image).Select(i => i.Slot!.Value).ToList();
        var others = running.Where(i => i.Image != target.Image).Select(i => i.Slot!.Value).ToList();
        var wasRunning = targetSlots.Count > 0;
        if (wasRunning)
        {
            foreach (var s in targetSlots.Where(s => !enabled.Contains(s)))
            {
                _lb.Enable(SingleHostLayout.Backend, s, 100);
                _lb.AwaitUp(SingleHostLayout.Backend, s, TimeSpan.FromSeconds(20));
            }
            foreach (var s in targetSlots) _lb.SetWeight(s, 100);
            foreach (var s in others.Where(enabled.Contains)) _lb.SetWeight(s, 0);
        }
        else
        {
            _apps.EnsureImage(target.Image);
            var used = _apps.List().Where(i => i.Slot is not null).Select(i => i.Slot!.Value).ToHashSet();
            var free = Enumerable.Range(0, L.SlotCount).Where(s => !used.Contains(s)).Take(L.Config.Replicas).ToList();
            _apps.StartAll(free, target);
            foreach (var s in free) _apps.AwaitReady(s, TimeSpan.FromSeconds(60));
            _apps.WarmAll(free);
            foreach (var s in free) _lb.Enable(SingleHostLayout.Backend, s, 100);
            foreach (var s in free) _lb.AwaitUp(SingleHostLayout.Backend, s, TimeSpan.FromSeconds(20));
            foreach (var s in others.Where(enabled.Contains)) _lb.SetWeight(s, 0);
            targetSlots = free;
        }
        var toTarget = sw.ElapsedMilliseconds;
        session.Event("weight-changed", SingleHostLayout.Backend, $"100% {target.Version} (rollback, {toTarget} ms)");
        // Top up to the declared count, then retire everything else (drained: in-flight requests finish).
        var missing = L.Config.Replicas - targetSlots.Count;
        if (missing > 0)
        {
            var used = _apps.List().Where(i => i.Slot is not null).Select(i => i.Slot!.Value).ToHashSet();
            var free = Enumerable.Range(0, L.SlotCount).Where(s => !used.Contains(s)).Take(missing).ToList();
            _apps.StartAll(free, target);
            foreach (var s in free) { _apps.AwaitReady(s, TimeSpan.FromSeconds(60)); _apps.Warm(s); _lb.Enable(SingleHostLayout.Backend, s, 100); }
        }
        var state = new ReleaseState(target);
        session.Persist(state);
        var executor = NewExecutor(state);
        await executor.RunAsync([.. DeploymentStrategies.Retire(others.Where(enabled.Contains)), .. others.Select(s => new StopInstance(s)).Where(a => !enabled.Contains(a.Slot))], ct);
        _apps.SyncScrapeTargets(state);
        return (toTarget, wasRunning);
    }
}
