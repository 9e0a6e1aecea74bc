using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(UnitTest))]
[TaskDescription("Fast tests of the app and the pipeline (no real components), with coverage.")]
[IsDependentOn(typeof(Build))]
[IsDependentOn(typeof(ChartValidate))] // installs helm + the node validators the chart tests use
public sealed class UnitTest : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        // Benchmarks are neither: they print figures for docs/BENCHMARKS.md and run only when asked for.
        Test.RunSuite(context, nameof(UnitTest), "unit", "Category!=Integration&Category!=Benchmark");
}
