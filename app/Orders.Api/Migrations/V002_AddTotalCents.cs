namespace Orders.Api.Migrations;

/// <summary>
/// Schema 2 (expand): add nullable total_cents for release 1 to dual-write, and make total nullable so that
/// release 3, which no longer writes total, can run on schema 3 before the contract. Both are catalog-only
/// changes: no table rewrite, the ACCESS EXCLUSIVE lock is held for milliseconds.
/// </summary>
public static class V002_AddTotalCents
{
    public static Migration Migration { get; } = new(2, "add orders.total_cents", MigrationPhase.Expand, (ctx, ct) => ctx.RunDdlAsync("""
        ALTER TABLE orders ADD COLUMN IF NOT EXISTS total_cents bigint;
        ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;
        """, ct));
}
