using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(UnitTest))]
[TaskDescription("Fast tests of the pipeline itself (argv builders, configuration, task graph, gates).")]
[IsDependentOn(typeof(Build))]
public sealed class UnitTest : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Runner.Run(DotNetCommands.Test(context.Paths.BuildTestsProject, Path.Combine(context.Paths.TestResults, "unit"), "Category!=Integration"));
}
