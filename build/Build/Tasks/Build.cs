using System.Xml.Linq;
using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(Build))]
[TaskDescription("Compiles the app, the pipeline and their tests (Release).")]
public sealed class Build : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var missing = MissingProjects(context.Paths.Solution);
        if (missing.Count > 0)
        {
            var message = $"{context.Paths.Solution} lists projects that do not exist: {string.Join(", ", missing)}.";
            if (!context.DryRun) throw new FileNotFoundException(message);
            context.Log.Warning("[dry-run] {0}", message);
        }
        context.Runner.Run(DotNetCommands.Build(context.Paths.Solution), timeout: TimeSpan.FromMinutes(20));
    }

    /// <summary>MSBuild's own error for a missing project (MSB3202) comes from NuGet restore and reads like a NuGet problem.</summary>
    public static IReadOnlyList<string> MissingProjects(string solution) =>
        XDocument.Load(solution).Descendants("Project")
            .Select(p => p.Attribute("Path")?.Value)
            .OfType<string>()
            .Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(solution)!, p)))
            .ToList();
}
