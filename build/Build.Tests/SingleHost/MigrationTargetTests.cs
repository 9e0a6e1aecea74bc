using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost;

public class MigrationTargetTests
{
    // The contracts the app declares (docs/APP.md): 1.1.0 runs on 2–3, 1.2.0 on 3–3, 1.3.0 on 3–4.
    private static readonly SchemaContract R1 = new("1.1.0", 2, 3), R2 = new("1.2.0", 3, 3), R3 = new("1.3.0", 3, 4);

    [Fact]
    public void A_first_install_migrates_to_the_candidates_own_max() => Assert.Equal(4, MigrationTarget.For(R3, null));

    [Fact]
    public void Release_2_over_release_1_backfills_to_3() => Assert.Equal(3, MigrationTarget.For(R2, R1));

    [Fact]
    public void Release_3_over_release_2_does_not_contract_while_2_serves() => Assert.Equal(3, MigrationTarget.For(R3, R2));

    [Fact]
    public void Re_releasing_3_once_it_alone_serves_is_the_contract_step() => Assert.Equal(4, MigrationTarget.For(R3, R3));

    [Fact]
    public void A_rollback_target_never_migrates_past_what_the_serving_release_supports() => Assert.Equal(3, MigrationTarget.For(R1, R3));

    [Fact]
    public void A_candidate_that_needs_a_schema_stable_cannot_run_is_refused_before_deploy()
    {
        var e = Assert.Throws<IncompatibleReleaseException>(() => MigrationTarget.For(new("2.0.0", 5, 6), R3));
        Assert.Contains("needs schema ≥ 5", e.Message);
        Assert.Contains("1.3.0 runs only on schema 3–4", e.Message);
    }
}

/// <summary>The database's own schema is part of the compatibility check: refused at once, not after a 60 s readiness wait.</summary>
public class MigrationTargetDatabaseTests
{
    private static readonly SchemaContract R1 = new("1.1.0", 2, 3), R3 = new("1.3.0", 3, 4);

    [Fact]
    public void Release_1_on_a_database_contracted_to_4_is_refused_with_the_apps_sentence()
    {
        var e = Assert.Throws<IncompatibleReleaseException>(() => MigrationTarget.For(R1, R3, databaseSchema: 4));
        Assert.Contains("schema version 4 is outside the supported range [2..3]", e.Message);
        Assert.StartsWith("1.1.0 cannot run on this database", e.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_database_at_or_below_the_releases_max_migrates_as_before(int db) =>
        Assert.Equal(3, MigrationTarget.For(R1, R3, databaseSchema: db));
}
