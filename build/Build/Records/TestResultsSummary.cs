using System.Globalization;
using System.Xml.Linq;

namespace Pipeline.Records;

/// <summary>Counts from the TRX files of one run: the line CI parses ("Tests: N passed, N failed, N skipped").</summary>
public sealed record TestResultsSummary(int Passed, int Failed, int Skipped, int Files)
{
    public string Line => $"Tests: {Passed} passed, {Failed} failed, {Skipped} skipped";

    public static TestResultsSummary Read(IEnumerable<string> trxFiles)
    {
        int passed = 0, failed = 0, skipped = 0, files = 0;
        foreach (var file in trxFiles)
        {
            var counters = XDocument.Load(file).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null) continue;
            files++;
            int N(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0", CultureInfo.InvariantCulture);
            passed += N("passed");
            // Errors, timeouts and aborts are failures too: a crashed test is not a passed one.
            failed += N("failed") + N("error") + N("timeout") + N("aborted");
            skipped += N("notExecuted");
        }
        return new TestResultsSummary(passed, failed, skipped, files);
    }

    /// <summary>This run's files: written at or after <paramref name="since"/> (older files from earlier runs are ignored).</summary>
    public static IReadOnlyList<string> FilesSince(string directory, string pattern, DateTimeOffset since) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
                .Where(f => File.GetLastWriteTimeUtc(f) >= since.UtcDateTime.AddSeconds(-1)).Order(StringComparer.Ordinal).ToList()
            : [];
}
