using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(IntegrationTest))]
[TaskDescription("Tests against real components: PostgreSQL, containers, HAProxy, Prometheus, the registry.")]
[IsDependentOn(typeof(Prerequisites))]
[IsDependentOn(typeof(Build))]
public sealed class IntegrationTest : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.Runner.Run(DotNetCommands.Test(context.Paths.AppTestsProject, Path.Combine(context.Paths.TestResults, "app")));
        context.Runner.Run(DotNetCommands.Test(context.Paths.BuildTestsProject, Path.Combine(context.Paths.TestResults, "integration"), "Category=Integration"));
    }
}
