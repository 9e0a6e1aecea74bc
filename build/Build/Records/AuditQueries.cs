namespace Pipeline.Records;

/// <summary>What a rollback and Up ask of an audit trail, the same whichever store holds the entries.</summary>
public static class AuditQueries
{
    /// <summary>The digest that served before the current one: what a manual rollback returns to.</summary>
    public static AuditEntry? PreviousSuccessfulRelease(this IAuditTrail trail)
    {
        var done = trail.Read().Where(IsRelease).ToList();
        if (done.Count < 2) return null;
        var current = done[^1].ImageDigest;
        return done.LastOrDefault(e => e.ImageDigest != current);
    }

    public static AuditEntry? CurrentRelease(this IAuditTrail trail) => trail.Read().LastOrDefault(IsRelease);

    /// <summary>Entries that changed what serves: a promotion, a rollback, or an explicit `Up --image`.</summary>
    public static bool IsRelease(AuditEntry e) => e.Outcome == "succeeded" && e.Action is "promote" or "rollback" or "up";
}
