namespace Pipeline.SingleHost;

/// <summary>
/// One step of a release on the single host. Strategies only *plan* lists of these (pure, unit-tested);
/// <see cref="PlanExecutor"/> performs them. Reading a plan tells exactly what a release will do.
/// </summary>
public abstract record DeployAction
{
    public override string ToString() => GetType().Name;
}

/// <summary>Expand/migrate the schema with the release's own image before any instance of it starts.</summary>
public sealed record Migrate : DeployAction { public override string ToString() => "migrate"; }
public sealed record StartInstance(int Slot) : DeployAction { public override string ToString() => $"start s{Slot}"; }
/// <summary>Poll the instance's own /healthz/ready (not through the LB).</summary>
public sealed record AwaitReady(int Slot) : DeployAction { public override string ToString() => $"ready s{Slot}"; }
/// <summary>A few requests before it joins: the first request after start is slow (JIT, pool).</summary>
public sealed record Warm(int Slot) : DeployAction { public override string ToString() => $"warm s{Slot}"; }
/// <summary>Exactly these slots serve the preview route (header), nothing else.</summary>
public sealed record Preview(IReadOnlyList<int> Slots) : DeployAction { public override string ToString() => $"preview {string.Join(",", Slots.Select(s => "s" + s))}"; }
/// <summary>Smoke test through the preview route; failure rolls back.</summary>
public sealed record Smoke : DeployAction { public override string ToString() => "smoke"; }
/// <summary>Enable in the main backend with this weight, then wait until HAProxy's own check says UP.</summary>
public sealed record JoinLb(int Slot, int Weight) : DeployAction { public override string ToString() => $"join s{Slot} w{Weight}"; }
/// <summary>Split main-backend traffic: this percent to the candidate's instances, the rest to stable.</summary>
public sealed record ShiftTraffic(int CanaryPercent) : DeployAction { public override string ToString() => $"shift {CanaryPercent}%"; }
public sealed record Pause(int Seconds) : DeployAction { public override string ToString() => $"pause {Seconds}s"; }
/// <summary>The canary gate judges this step; fail (or inconclusive past the timeout) rolls back.</summary>
public sealed record Judge(int CanaryPercent) : DeployAction { public override string ToString() => $"judge {CanaryPercent}%"; }
/// <summary>No new requests, wait until its current sessions reach 0 (bounded), then maint.</summary>
public sealed record Drain(int Slot) : DeployAction { public override string ToString() => $"drain s{Slot}"; }
/// <summary>SIGTERM with the grace period, then remove the container.</summary>
public sealed record StopInstance(int Slot) : DeployAction { public override string ToString() => $"stop s{Slot}"; }
/// <summary>The candidate becomes the stable release (release.json; the audit entry is the task's).</summary>
public sealed record MarkStable : DeployAction { public override string ToString() => "mark-stable"; }

/// <summary>What a strategy plans: the part run when deploying (HelmUpgradeCanary) and the part run on Promote.</summary>
public sealed record DeploymentPlan(IReadOnlyList<DeployAction> Deploy, IReadOnlyList<DeployAction> Promote)
{
    public override string ToString() => $"deploy: {string.Join(" → ", Deploy)}\npromote: {string.Join(" → ", Promote)}";
}

/// <summary>Input of a plan: what runs now and what may be used.</summary>
public sealed record ReleasePlan(
    IReadOnlyList<int> StableSlots,
    IReadOnlyList<int> FreeSlots,
    int Replicas,
    int MaxSurge,
    int MaxUnavailable,
    IReadOnlyList<int> Steps,
    int PauseSeconds);
