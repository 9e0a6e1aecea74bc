namespace Pipeline.SingleHost;

/// <summary>The schema range an image declares (`Orders.Api schema-contract`).</summary>
public sealed record SchemaContract(string Version, int SchemaMin, int SchemaMax);

/// <summary>
/// How far a deploy may migrate. While the stable release still serves, the schema must stay inside BOTH
/// contracts: expand/migrate up to what stable still runs on, never the contract step (old code would 500 on
/// it, and a rollback to stable would land on a schema it cannot read). The contract step is its own later
/// release: re-releasing the version once it is the only one serving migrates it to its own schemaMax.
/// A candidate that needs a schema stable cannot run on is stopped before anything deploys.
/// </summary>
public static class MigrationTarget
{
    public static int For(SchemaContract candidate, SchemaContract? stable)
    {
        if (stable is null) return candidate.SchemaMax;
        if (candidate.SchemaMin > stable.SchemaMax)
            throw new IncompatibleReleaseException(
                $"{candidate.Version} needs schema ≥ {candidate.SchemaMin}, but the serving {stable.Version} runs only on schema " +
                $"{stable.SchemaMin}–{stable.SchemaMax}: no schema lets both serve during the rollout or a rollback. " +
                $"Release an intermediate version that supports both first (expand → migrate → contract).");
        return Math.Min(candidate.SchemaMax, stable.SchemaMax);
    }
}

public sealed class IncompatibleReleaseException(string message) : Exception(message);
