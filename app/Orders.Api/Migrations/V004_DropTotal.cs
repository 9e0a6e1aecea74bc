namespace Orders.Api.Migrations;

/// <summary>
/// Schema 4 (contract): drop total. Breaks releases 1 and 2 (they still write it), so the migrator refuses it
/// while any instance with schema_max below 4 has heartbeated recently. SET NOT NULL reuses the validated
/// check from schema 3 and does not scan the table.
/// </summary>
public static class V004_DropTotal
{
    public static Migration Migration { get; } = new(4, "drop orders.total", MigrationPhase.Contract, (ctx, ct) => ctx.RunDdlAsync("""
        ALTER TABLE orders ALTER COLUMN total_cents SET NOT NULL;
        ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_cents_not_null;
        ALTER TABLE orders DROP COLUMN IF EXISTS total;
        """, ct));
}
