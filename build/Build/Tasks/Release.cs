using Pipeline.Host;

namespace Pipeline.Tasks;

// Cake runs dependencies depth-first in declaration order: Test's chain (build, unit, integration) first, then
// HelmUpgradeCanary's (image → scan → push → plan/drift → approval → canary), then Promote's (gate → promote).
// HelmUpgradeCanary is listed explicitly because PromoteGate deliberately has no edge to it (it judges whatever
// canary is live, so it can be re-run on its own); without this edge a release would promote an undeployed canary.
[TaskName(nameof(Release))]
[TaskDescription("The whole release: build → test → image → scan → push → plan/drift → approve → canary → gate → promote or roll back.")]
[IsDependentOn(typeof(Test))]
[IsDependentOn(typeof(HelmUpgradeCanary))]
[IsDependentOn(typeof(Promote))]
public sealed class Release : FrostingTask<BuildContext>;
