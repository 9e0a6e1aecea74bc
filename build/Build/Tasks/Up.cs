using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

/// <summary>
/// On its own (<c>--target=Up</c>): reconciles the environment with its declaration (infrastructure, flags and
/// the current release: --image, else the audit trail's, else image.deploy; nothing at all on a fresh machine →
/// infrastructure only). Inside a Release: boots only what is missing (a fresh machine, or after Down) and
/// otherwise changes nothing, so the DriftCheck that follows still sees — and reports — what drifted.
/// </summary>
[TaskName(nameof(Up))]
[TaskDescription("Creates the environment from its declared configuration and pinned image (idempotent: 'no changes' the second time).")]
public sealed class Up : FrostingTask<BuildContext>
{
    public const string NotOnKubernetes = "a Kubernetes environment's cluster, namespace and database are Terraform's (TerraformPlan), its release is HelmUpgradeCanary's";

    public override bool ShouldRun(BuildContext context)
    {
        if (context.IsSingleHost) return true;
        // Skipped with the reason on record: nothing here boots a cluster, and a deploy must not look like it booted one.
        context.Log.Information("Skipping {0}: {1}.", nameof(Up), NotOnKubernetes);
        context.Record.Verdicts.Add(new GateVerdict("up", Verdict.Skipped, NotOnKubernetes));
        return false;
    }

    public override void Run(BuildContext context)
    {
        var session = context.SingleHost;
        var env = new SingleHostEnvironment(session);
        using var _ = env.Lock(nameof(Up));
        var standalone = string.Equals(context.Record.Target, nameof(Up), StringComparison.OrdinalIgnoreCase);
        // In a chain, --image names what the deploy ships next; Up boots what was declared before it.
        var reference = standalone ? context.ImageForUp() : context.DeclaredRelease();
        if (!standalone)
        {
            var missing = env.Missing(reference);
            if (missing.Count == 0 && !context.DryRun)
            {
                context.Log.Information("Up: {0} is up, nothing to boot (DriftCheck compares it with the declaration next).", context.EnvironmentName);
                context.Record.Facts["singlehost.up.changes"] = "0";
                return;
            }
            context.Log.Information("Up: booting what is missing: {0}", missing.Count == 0 ? "(dry run)" : string.Join(", ", missing));
        }
        var image = reference is null ? null : SingleHostRelease.Describe(session, reference);

        var changes = env.Up(image);
        if (changes.Count == 0) context.Log.Information("Up: no changes ({0} runs as declared).", context.EnvironmentName);
        else foreach (var c in changes) context.Log.Information("Up: {0}", c);
        context.Record.Facts["singlehost.up.changes"] = changes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // An explicit image is a decision about what serves: it goes on record like a promotion, and the next
        // Up (or Rollback) starts from it.
        if (standalone && context.Argument(SingleHostArgs.Image) is { } explicitImage && image is not null && !context.DryRun)
            session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow, "up", context.EnvironmentName, context.Actor, explicitImage,
                context.Config.Strategy.Kind.ToString().ToLowerInvariant(), "succeeded", [.. context.Record.Verdicts],
                Note: changes.Count == 0 ? "up --image: already running as declared" : "up --image: " + string.Join("; ", changes),
                AppVersion: image.Version, Revision: context.Record.Revision));
    }
}
