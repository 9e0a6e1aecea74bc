using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tasks;

namespace Pipeline.Tests.Tasks;

/// <summary>Each drift finding is printed once: in the error that stops the run (and kept in run.json's error).</summary>
public class DriftCheckTests
{
    private sealed class RecordingLog : ICakeLog
    {
        public List<string> Lines { get; } = [];
        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;
        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) => Lines.Add(string.Format(format, args));
    }

    [Fact]
    public void Each_difference_appears_once_in_what_the_run_prints()
    {
        var log = new RecordingLog();
        var context = new BuildContext(CakeContextFactory.Create(HostArguments.Parse(["--env=local"]).Lookup, log));
        var report = new DriftReport(12, ["container orders-local-blue-1: image sha256:aaa, declared sha256:bbb", "haproxy: server app3 weight 10, declared 0"]);

        var failure = DriftCheck.Report(context, report);

        // What a failed run prints: the task's log, the host's "Error: <message>", then the summary with gate lines.
        var printed = string.Join("\n", log.Lines) + "\nError: " + failure.Message + "\n" + RunReporter.Summary(context.Record);
        foreach (var d in report.Differences)
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(printed, System.Text.RegularExpressions.Regex.Escape(d)));
        Assert.Contains(context.Record.Verdicts, v => v.Gate == "drift" && v.Verdict == Verdict.Fail && v.Summary.StartsWith("2 difference(s)", StringComparison.Ordinal));
    }
}
