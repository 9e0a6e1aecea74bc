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
    /// <param name="databaseSchema">The database's current schema version (null/negative: unknown, e.g. a dry run).</param>
    public static int For(SchemaContract candidate, SchemaContract? stable, int? databaseSchema = null)
    {
        if (databaseSchema is { } db) RequireRunsOn(candidate, db);
        if (stable is null) return candidate.SchemaMax;
        if (candidate.SchemaMin > stable.SchemaMax)
            throw new IncompatibleReleaseException(
                $"{candidate.Version} needs schema ≥ {candidate.SchemaMin}, but the serving {stable.Version} runs only on schema " +
                $"{stable.SchemaMin}–{stable.SchemaMax}: no schema lets both serve during the rollout or a rollback. " +
                $"Release an intermediate version that supports both first (expand → migrate → contract).");
        return Math.Min(candidate.SchemaMax, stable.SchemaMax);
    }

    /// <summary>
    /// Migrations only move forward: a database already past a release's schemaMax can never serve it. Refused
    /// at once with the app's own sentence — it used to surface as a 60 s readiness timeout of the first instance.
    /// </summary>
    public static void RequireRunsOn(SchemaContract release, int databaseSchema)
    {
        if (databaseSchema < 0 || databaseSchema <= release.SchemaMax) return;
        throw new IncompatibleReleaseException(
            $"{release.Version} cannot run on this database: schema version {databaseSchema} is outside the supported range " +
            $"[{release.SchemaMin}..{release.SchemaMax}] (migrations only move forward; a release that supports schema {databaseSchema} must serve).");
    }
}

public sealed class IncompatibleReleaseException(string message) : Exception(message);
