using Pipeline.Host;

namespace Pipeline.Tasks;

// Only two edges: Cake runs dependencies depth-first in declaration order, so Test's chain (build, unit,
// integration) runs first and Promote's chain supplies the rest in release order: image → scan → push →
// plan/drift → approval → canary → gate → promote. Listing Push or TerraformPlan here as well would not add
// safety (the deploy tasks depend on them) but would let the order drift when someone reorders attributes.
[TaskName(nameof(Release))]
[TaskDescription("The whole release: build → test → image → scan → push → plan/drift → approve → canary → gate → promote or roll back.")]
[IsDependentOn(typeof(Test))]
[IsDependentOn(typeof(Promote))]
public sealed class Release : FrostingTask<BuildContext>;
