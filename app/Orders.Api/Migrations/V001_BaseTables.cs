namespace Orders.Api.Migrations;

/// <summary>Schema 1: orders with total numeric(12,2), and idempotency keys.</summary>
public static class V001_BaseTables
{
    public static Migration Migration { get; } = new(1, "base tables", MigrationPhase.Expand, (ctx, ct) => ctx.RunDdlAsync("""
        CREATE TABLE IF NOT EXISTS orders (
            id          uuid PRIMARY KEY,
            customer_id text NOT NULL,
            total       numeric(12,2) NOT NULL CONSTRAINT orders_total_positive CHECK (total > 0),
            currency    text NOT NULL CONSTRAINT orders_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
            status      text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            key          text PRIMARY KEY,
            request_hash bytea NOT NULL,
            -- deferred: the key row is claimed first, the order inserted after, in the same transaction
            order_id     uuid NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
            created_at   timestamptz NOT NULL DEFAULT now()
        );
        """, ct));
}
