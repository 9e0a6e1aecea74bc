using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;

namespace Pipeline.Tasks;

[TaskName(nameof(History))]
[TaskDescription("Prints the audit trail of deploys, promotions and rollbacks (newest last).")]
public sealed class History : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.Log.Information("Audit trail {0}:", context.Audit.Where);
        // Plain stdout, not the log: people pipe this into grep and less.
        Console.WriteLine(AuditTable.Render(context.Release.History()));
    }
}
