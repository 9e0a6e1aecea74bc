using Pipeline.Gates;
using Pipeline.Records;

namespace Pipeline.Tests.Gates;

public class CoverageGateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cobertura-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Report(string name, string source, params (string File, int Line, int Hits)[] lines)
    {
        var classes = lines.GroupBy(l => l.File).Select(g =>
            $"<class name=\"C\" filename=\"{g.Key}\" line-rate=\"0\"><methods/><lines>"
            + string.Concat(g.Select(l => $"<line number=\"{l.Line}\" hits=\"{l.Hits}\" branch=\"False\" />")) + "</lines></class>");
        var xml = $"<?xml version=\"1.0\"?><coverage line-rate=\"0\" version=\"1.9\"><sources><source>{source}</source></sources>"
            + $"<packages><package name=\"Build\"><classes>{string.Concat(classes)}</classes></package></packages></coverage>";
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, xml);
        return path;
    }

    [Fact]
    public void Merges_runs_per_file_and_line()
    {
        var unit = Report("unit.xml", "/src/", ("a.cs", 1, 1), ("a.cs", 2, 0), ("a.cs", 3, 0), ("b.cs", 1, 0));
        var integration = Report("int.xml", "/src/", ("a.cs", 2, 4), ("a.cs", 3, 0), ("b.cs", 1, 0));
        var c = CoverageGate.Measure([unit, integration]);
        Assert.Equal(new CoverageGate.LineCoverage(2, 4), c);
        Assert.Equal(50, c.Percent);
    }

    [Fact]
    public void Below_the_threshold_fails_with_the_numbers()
    {
        var v = CoverageGate.Assess(new CoverageGate.LineCoverage(40, 100), 60, 2);
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Equal("line coverage 40.0% < 60% (40/100 lines, 2 reports)", v.Summary);
        Assert.Equal(40, v.Figures!["linePercent"]);
    }

    [Fact]
    public void At_the_threshold_passes() =>
        Assert.Equal(Verdict.Pass, CoverageGate.Assess(new CoverageGate.LineCoverage(60, 100), 60, 1).Verdict);

    [Fact]
    public void No_reports_is_a_failure_not_a_pass()
    {
        Assert.Equal(Verdict.Fail, CoverageGate.Assess(CoverageGate.Measure([]), 0, 0).Verdict);
    }
}
