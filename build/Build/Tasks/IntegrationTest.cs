using Pipeline.Host;

namespace Pipeline.Tasks;

// After Prerequisites: these tests start real PostgreSQL, containers, HAProxy, Prometheus and a registry.
[TaskName(nameof(IntegrationTest))]
[TaskDescription("Tests against real components: PostgreSQL, containers, HAProxy, Prometheus, the registry.")]
[IsDependentOn(typeof(Prerequisites))]
[IsDependentOn(typeof(Build))]
public sealed class IntegrationTest : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        Test.RunSuite(context, nameof(IntegrationTest), "integration", "Category=Integration");
}
