using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(Up))]
[TaskDescription("Creates the environment from its declared configuration and pinned image (idempotent: 'no changes' the second time).")]
public sealed class Up : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(Up), context.EnvironmentName, "Kubernetes environments are created by Terraform (not yet built).");
        var session = context.SingleHost;
        var env = new SingleHostEnvironment(session);
        using var _ = env.Lock(nameof(Up));
        var image = context.ImageForUp() is { } reference ? SingleHostRelease.Describe(session, reference) : null;

        var changes = env.Up(image);
        if (changes.Count == 0) context.Log.Information("Up: no changes ({0} runs as declared).", context.EnvironmentName);
        else foreach (var c in changes) context.Log.Information("Up: {0}", c);
        context.Record.Facts["singlehost.up.changes"] = changes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
