using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(Build))]
[TaskDescription("Compiles the app, the pipeline and their tests (Release).")]
public sealed class Build : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Runner.Run(DotNetCommands.Build(context.Paths.Solution));
}
