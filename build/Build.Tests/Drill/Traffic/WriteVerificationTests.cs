using Pipeline.Drill;
using Pipeline.Drill.Traffic;

namespace Pipeline.Tests.Drill.Traffic;

public sealed class WriteVerificationTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static RequestRecord W(long seq, int attempt, int status, string? order = null) =>
        new(seq, T.AddMilliseconds(seq * 10 + attempt), 5, status, status == 0 ? "reset" : null, "1.1.0", "s0", true, $"lt-run1-{seq}", attempt) { OrderId = order };

    [Fact]
    public void A_clean_drill_has_nothing_missing_and_no_duplicates()
    {
        RequestRecord[] records = [W(1, 1, 201, "o1"), W(2, 1, 503), W(2, 2, 201, "o2"), new(3, T, 3, 200, null, "1.1.0", "s0", false, null, 1)];
        var v = WriteVerification.Assess(records, new HashSet<string> { "o1", "o2" }, [("lt-run1-1", "o1"), ("lt-run1-2", "o2")]);
        Assert.Equal((2, 2, 0, 1), (v.Writes, v.Acknowledged, v.NeverAcknowledged, v.Retried));
        Assert.Equal((0, 0), (v.AcknowledgedMissing, v.Duplicates));
        Assert.True(v.Passed);
    }

    [Fact]
    public void An_acknowledged_write_missing_from_the_api_or_the_database_is_lost()
    {
        RequestRecord[] records = [W(1, 1, 201, "o1"), W(2, 1, 201, "o2")];
        var notInApi = WriteVerification.Assess(records, new HashSet<string> { "o1" }, [("lt-run1-1", "o1"), ("lt-run1-2", "o2")]);
        Assert.Equal((1, 0), (notInApi.MissingInApi, notInApi.MissingInDatabase));
        var notInDb = WriteVerification.Assess(records, new HashSet<string> { "o1", "o2" }, [("lt-run1-1", "o1")]);
        Assert.Equal((0, 1), (notInDb.MissingInApi, notInDb.MissingInDatabase));
        Assert.False(notInDb.Passed);
        Assert.Contains(notInDb.Examples, e => e.Contains("lt-run1-2") && e.Contains("no row"));
    }

    [Fact]
    public void Two_rows_for_one_key_or_one_key_acknowledged_as_two_orders_are_duplicates()
    {
        // A retry that created a second order instead of replaying: two rows tagged with the same key.
        RequestRecord[] retried = [W(1, 1, 0), W(1, 2, 201, "o1")];
        var rows = WriteVerification.Assess(retried, new HashSet<string> { "o1" }, [("lt-run1-1", "o0"), ("lt-run1-1", "o1")]);
        Assert.Equal((1, 0, 1), (rows.DuplicateRows, rows.ConflictingAcknowledgements, rows.Duplicates));
        // Both attempts acknowledged, with different orders.
        RequestRecord[] twice = [W(1, 1, 201, "o1"), W(1, 2, 201, "o9")];
        var acks = WriteVerification.Assess(twice, new HashSet<string> { "o1", "o9" }, [("lt-run1-1", "o1"), ("lt-run1-1", "o9")]);
        Assert.Equal((1, 1), (acks.ConflictingAcknowledgements, acks.DuplicateRows));
        Assert.False(acks.Passed);
    }

    [Fact]
    public void A_write_never_acknowledged_is_not_lost_but_a_commit_behind_a_lost_answer_is_counted()
    {
        RequestRecord[] records = [W(1, 1, 0), W(1, 2, 0), W(2, 1, 503)];
        var v = WriteVerification.Assess(records, new HashSet<string>(), [("lt-run1-1", "o1")]);
        Assert.Equal((0, 2, 1, 0), (v.Acknowledged, v.NeverAcknowledged, v.CommittedButUnacknowledged, v.AcknowledgedMissing));
        Assert.True(v.Passed);
    }

    [Fact]
    public void The_database_query_selects_the_run_prefix_and_refuses_mixed_runs()
    {
        Assert.Equal("SELECT customer_id || '|' || id::text FROM orders WHERE customer_id LIKE 'lt-run1-%';\n", WriteVerifier.RowsQuery(["lt-run1-1", "lt-run1-22"]));
        Assert.Throws<ArgumentException>(() => WriteVerifier.KeyPrefix(["lt-run1-1", "lt-run2-1"]));
        Assert.Equal([("lt-run1-1", "0193-a"), ("lt-run1-2", "0193-b")], WriteVerifier.ParseRows("lt-run1-1|0193-a\nlt-run1-2|0193-b\n"));
        Assert.Throws<FormatException>(() => WriteVerifier.ParseRows("garbage\n"));
    }
}
