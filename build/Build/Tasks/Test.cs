using Cake.Core.Diagnostics;
using Pipeline.Gates;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Tasks;

[TaskName(nameof(Test))]
[TaskDescription("All tests (the README's test command): unit, then integration; coverage gate; prints 'Tests: N passed, N failed, N skipped'.")]
[IsDependentOn(typeof(UnitTest))]
[IsDependentOn(typeof(IntegrationTest))]
public sealed class Test : FrostingTask<BuildContext>
{
    private const string FailedSuitesFact = "tests.failed-suites";

    public override void Run(BuildContext context)
    {
        if (context.Record.Facts.TryGetValue(FailedSuitesFact, out var failed))
            throw new InvalidOperationException($"Tests failed in: {failed} (see the test output above and {context.Paths.TestResults}).");
        if (context.DryRun)
        {
            context.Enforce(new GateVerdict(CoverageGate.Name, Verdict.Skipped, "dry run: no tests ran"));
            return;
        }
        var reports = TestResultsSummary.FilesSince(context.Paths.TestResults, "coverage.cobertura.xml", context.Record.StartedAt);
        var coverage = CoverageGate.Measure(reports);
        context.Record.Facts[FactKeys.LineCoverage] = coverage.Percent.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        context.Enforce(CoverageGate.Assess(coverage, context.Config.Gates.MinLineCoveragePercent, reports.Count));
    }

    /// <summary>The test projects of the release; the app's is a real dependency, so its absence is an error, not a skip.</summary>
    public static IReadOnlyList<string> Projects(BuildContext context)
    {
        if (!File.Exists(context.Paths.AppTestsProject))
        {
            var message = $"The app's test project is missing: {context.Paths.AppTestsProject}. The release cannot be tested without it.";
            if (!context.DryRun) throw new FileNotFoundException(message);
            context.Log.Warning("[dry-run] {0}", message);
        }
        return [context.Paths.AppTestsProject, context.Paths.BuildTestsProject];
    }

    /// <summary>
    /// Runs one suite over every test project (TRX + coverlet cobertura into artifacts/test-results/&lt;suite&gt;).
    /// Run on its own, a failing suite fails its task; inside Test or Release the failure is deferred to Test, so
    /// integration tests still run and the final count covers everything.
    /// </summary>
    public static void RunSuite(BuildContext context, string task, string suite, string filter)
    {
        var projects = Projects(context);
        var dir = Path.Combine(context.Paths.TestResults, suite);
        if (!context.DryRun && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var failures = new List<string>();
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var result = context.Runner.Run(DotNetCommands.Test(project, Path.Combine(dir, name), filter),
                allowFailure: true, timeout: TimeSpan.FromMinutes(30));
            if (result.ExitCode != 0) failures.Add($"{suite}/{name} (exit {result.ExitCode})");
        }
        if (failures.Count == 0) return;
        if (string.Equals(context.Record.Target, task, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Tests failed: {string.Join(", ", failures)}.");
        context.Log.Error("Tests failed: {0}; continuing to the remaining suites, {1} will fail.", string.Join(", ", failures), nameof(Test));
        context.Record.Facts[FailedSuitesFact] = context.Record.Facts.TryGetValue(FailedSuitesFact, out var before)
            ? before + ", " + string.Join(", ", failures) : string.Join(", ", failures);
    }
}
