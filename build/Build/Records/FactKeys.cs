namespace Pipeline.Records;

/// <summary>Names of the facts tasks publish in the run record (no magic strings between tasks).</summary>
public static class FactKeys
{
    public const string ImageDigest = "image.digest";
    public const string AppVersion = "app.version";
    public const string Approval = "approval";
    public const string WindowOverride = "change-window.override";
    public const string LineCoverage = "tests.line-coverage-percent";
    public const string TestsPassed = "tests.passed";
    public const string TestsFailed = "tests.failed";
    public const string TestsSkipped = "tests.skipped";
}
