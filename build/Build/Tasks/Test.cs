using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(Test))]
[TaskDescription("All tests: unit, then integration against real components (the README's test command).")]
[IsDependentOn(typeof(UnitTest))]
[IsDependentOn(typeof(IntegrationTest))]
public sealed class Test : FrostingTask<BuildContext>;
