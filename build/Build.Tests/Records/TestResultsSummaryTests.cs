using Pipeline.Records;

namespace Pipeline.Tests.Records;

public class TestResultsSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trx-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Trx(string name, string counters)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "<?xml version=\"1.0\" encoding=\"utf-8\"?><TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">"
            + $"<ResultSummary outcome=\"Failed\"><Counters {counters} /></ResultSummary></TestRun>");
        return path;
    }

    [Fact]
    public void Sums_counters_across_files_and_counts_errors_as_failures()
    {
        var a = Trx("a.trx", "total=\"10\" executed=\"9\" passed=\"8\" failed=\"1\" error=\"0\" timeout=\"0\" aborted=\"0\" notExecuted=\"1\"");
        var b = Trx("b.trx", "total=\"5\" executed=\"5\" passed=\"3\" failed=\"0\" error=\"1\" timeout=\"1\" aborted=\"0\" notExecuted=\"0\"");
        var s = TestResultsSummary.Read([a, b]);
        Assert.Equal("Tests: 11 passed, 3 failed, 1 skipped", s.Line);
        Assert.Equal(2, s.Files);
    }

    [Fact]
    public void Only_files_of_this_run_count()
    {
        var old = Trx("old.trx", "passed=\"100\"");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));
        var fresh = Trx(Path.Combine("sub", "..", "new.trx"), "passed=\"1\"");
        Assert.Equal(new[] { fresh }.Select(Path.GetFullPath), TestResultsSummary.FilesSince(_dir, "*.trx", DateTimeOffset.UtcNow.AddMinutes(-1)).Select(Path.GetFullPath));
    }

    [Fact]
    public void Real_trx_from_dotnet_test_parses()
    {
        // The format as vstest writes it (namespace, attribute order), trimmed.
        var path = Path.Combine(_dir, "real.trx");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="x" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Completed">
                <Counters total="3" executed="3" passed="3" failed="0" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
              </ResultSummary>
            </TestRun>
            """);
        Assert.Equal("Tests: 3 passed, 0 failed, 0 skipped", TestResultsSummary.Read([path]).Line);
    }
}
