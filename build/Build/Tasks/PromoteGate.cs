using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(PromoteGate))]
[TaskDescription("Gate: canary vs stable on error rate and latency from Prometheus.")]
[IsDependentOn(typeof(HelmUpgradeCanary))]
public sealed class PromoteGate : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(PromoteGate), context.EnvironmentName, "being built (see the open issues).");
}
