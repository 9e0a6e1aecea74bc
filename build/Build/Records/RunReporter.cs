using System.Text;
using System.Text.Json;
using Pipeline.Host;
using Cake.Core.Diagnostics;

namespace Pipeline.Records;

/// <summary>What people and workflows see of a run: a header per task, Actions log groups, a summary table (also on failure) and the JSON record.</summary>
public static class RunReporter
{
    public static void TaskStarting(BuildContext context, string task)
    {
        if (context.InGitHubActions) Console.WriteLine($"::group::{task}");
    }

    public static void TaskFinished(BuildContext context, string task, TimeSpan duration, TaskOutcome outcome)
    {
        context.Record.Tasks.Add(new TaskRecord(task, Math.Round(duration.TotalSeconds, 2), outcome.ToString().ToLowerInvariant()));
        if (context.InGitHubActions) Console.WriteLine("::endgroup::");
    }

    public static void RunFinished(BuildContext context, Exception? failure)
    {
        var record = context.Record;
        record.FinishedAt = DateTimeOffset.UtcNow;
        record.Outcome = failure is null ? "succeeded" : "failed";
        record.Error = failure is null ? null : Innermost(failure).Message;
        record.Commands.AddRange(context.Runner.History.Select(c => c.ToString()));
        var tests = RanTests(record) ? CountTests(context) : null;
        Notify(context);
        context.Log.Information("");
        context.Log.Information(Summary(record));
        var path = Write(context);
        context.Log.Information("Run record: {0}", path);
        // Last, plain, uncoloured: CI parses exactly this line.
        if (tests is not null) Console.WriteLine(tests.Line);
    }

    private static bool RanTests(RunRecord record) =>
        record.Tasks.Any(t => t.Name is "UnitTest" or "IntegrationTest" && t.Outcome != "skipped");

    private static TestResultsSummary CountTests(BuildContext context)
    {
        var summary = TestResultsSummary.Read(TestResultsSummary.FilesSince(context.Paths.TestResults, "*.trx", context.Record.StartedAt));
        context.Record.Facts[FactKeys.TestsPassed] = summary.Passed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Record.Facts[FactKeys.TestsFailed] = summary.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Record.Facts[FactKeys.TestsSkipped] = summary.Skipped.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return summary;
    }

    private static void Notify(BuildContext context)
    {
        var url = context.Config.Notifications.WebhookUrl;
        if (string.IsNullOrEmpty(url) || !Gates.NotificationWebhook.NotifyingTargets.Contains(context.Record.Target)) return;
        if (context.DryRun)
        {
            context.Log.Information("[dry-run] would POST the outcome to {0}", url);
            return;
        }
        var problem = Gates.NotificationWebhook.SendAsync(url, Gates.NotificationWebhook.For(context.Record), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        context.Record.Facts["notification"] = problem is null ? "delivered to " + url : "FAILED: " + problem;
        if (problem is null) context.Log.Information("Notified {0}.", url);
        else context.Log.Warning("Could not deliver the release notification (the release outcome stands): {0}", problem);
    }

    public static string Summary(RunRecord record)
    {
        var sb = new StringBuilder();
        var width = Math.Max(24, record.Tasks.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2);
        sb.AppendLine($"Summary: target {record.Target}, environment {record.Environment}{(record.DryRun ? " (dry run)" : "")}: {record.Outcome.ToUpperInvariant()}");
        sb.AppendLine(new string('-', width + 24));
        sb.AppendLine("Task".PadRight(width) + "Duration".PadLeft(10) + "  Outcome");
        sb.AppendLine(new string('-', width + 24));
        foreach (var t in record.Tasks)
            sb.AppendLine(t.Name.PadRight(width) + $"{t.Seconds,9:0.00}s" + "  " + t.Outcome);
        sb.AppendLine(new string('-', width + 24));
        sb.Append("Total".PadRight(width) + $"{record.Tasks.Sum(t => t.Seconds),9:0.00}s");
        foreach (var v in record.Verdicts)
            sb.AppendLine().Append($"Gate {v.Gate}: {v.Verdict.ToString().ToUpperInvariant()} — {v.Summary}");
        return sb.ToString();
    }

    private static string Write(BuildContext context)
    {
        Directory.CreateDirectory(context.Paths.Runs);
        var json = JsonSerializer.Serialize(context.Record, RunRecord.Json);
        var name = $"{context.Record.StartedAt:yyyyMMddTHHmmssfff}-{context.Record.Target}-{context.EnvironmentName}.json";
        var path = Path.Combine(context.Paths.Runs, name);
        File.WriteAllText(path, json);
        File.WriteAllText(Path.Combine(context.Paths.Artifacts, "run.json"), json);
        return path;
    }

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Innermost(a.InnerExceptions[0]!)
        : e is System.Reflection.TargetInvocationException { InnerException: not null } t ? Innermost(t.InnerException!) : e;
}
