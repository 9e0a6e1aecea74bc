using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

/// <summary>
/// Back to a fresh machine for this environment: Down, then the audit trail is moved aside (kept, renamed
/// audit-reset-&lt;UTC&gt;.jsonl) so the next Release is a first install and the schema train can start from release 1.
/// Needs --confirm=&lt;env&gt; (checked before anything runs): returning to a clean state used to mean deleting the
/// audit trail by hand. The registry (pushed images) stays.
/// </summary>
[TaskName(nameof(Reset))]
[TaskDescription("Removes the environment AND starts a new audit trail (the old one is kept aside); needs --confirm=<env>.")]
public sealed class Reset : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(Reset), context.EnvironmentName, "Kubernetes environments are removed by Terraform (not yet built).");
        var env = new SingleHostEnvironment(context.SingleHost);
        using var _ = env.Lock(nameof(Reset));
        foreach (var r in env.Down()) context.Log.Information("Reset: removed {0}", r);
        var trail = AuditTrail.For(context).Path;
        if (context.DryRun) { context.Log.Information("Dry run: would move {0} aside.", trail); return; }
        if (!File.Exists(trail)) { context.Log.Information("Reset: no audit trail to move aside."); return; }
        var kept = Path.Combine(Path.GetDirectoryName(trail)!, $"audit-reset-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}.jsonl");
        File.Move(trail, kept);
        context.Log.Information("Reset: audit trail moved aside to {0}; the next Release is a first install.", kept);
    }
}
