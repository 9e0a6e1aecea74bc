using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Release))]
[TaskDescription("The whole release: build → test → image → scan → push → plan/drift → canary → gate → promote or roll back.")]
[IsDependentOn(typeof(Test))]
[IsDependentOn(typeof(Push))]
[IsDependentOn(typeof(TerraformPlan))]
[IsDependentOn(typeof(DriftCheck))]
[IsDependentOn(typeof(Promote))]
public sealed class Release : FrostingTask<BuildContext>;
