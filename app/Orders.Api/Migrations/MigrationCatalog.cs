namespace Orders.Api.Migrations;

public static class MigrationCatalog
{
    /// <summary>Every build carries every migration; the schema contract decides which ones it may run on.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        V001_BaseTables.Migration,
        V002_AddTotalCents.Migration,
        V003_BackfillTotalCents.Migration,
        V004_DropTotal.Migration,
    ];

    public static int Latest => All[^1].Version;
}
