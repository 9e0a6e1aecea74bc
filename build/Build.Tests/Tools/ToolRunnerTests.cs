using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>The one place commands execute, exercised with real processes.</summary>
public class ToolRunnerTests
{
    private static ToolRunner Runner(bool dryRun = false, params string[] extraDirs) =>
        new(CakeContextFactory.Create(), dryRun, extraDirs);

    [Fact]
    public void Returns_standard_output_of_a_successful_command()
    {
        var result = Runner().Run(new ToolCommand("sh", "-c", "printf '%s|%s' \"$0\" \"$X\"", "arg with 'quotes' and \"double\"") { Environment = new Dictionary<string, string> { ["X"] = "from-env" } });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("arg with 'quotes' and \"double\"|from-env", result.StandardOutput);
    }

    [Fact]
    public void Failing_command_throws_with_exit_code_and_the_tail_of_stderr()
    {
        var e = Assert.Throws<ToolFailedException>(() => Runner().Run(new ToolCommand("sh", "-c", "echo first >&2; echo x-marks-the-spot >&2; exit 3")));
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("x-marks-the-spot", e.Message);
    }

    [Fact]
    public void Only_the_last_25_lines_of_stderr_are_kept()
    {
        var e = Assert.Throws<ToolFailedException>(() => Runner().Run(new ToolCommand("sh", "-c", "for i in $(seq 1 40); do echo line$i >&2; done; exit 1")));
        Assert.Contains("line40", e.Message);
        Assert.Contains("line16", e.Message);
        Assert.DoesNotContain("line15\n", e.Message);
    }

    [Fact]
    public void AllowFailure_returns_the_exit_code_instead_of_throwing()
    {
        var result = Runner().Run(new ToolCommand("sh", "-c", "echo out; exit 2"), allowFailure: true);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("out", result.StandardOutput);
    }

    [Fact]
    public void Missing_tool_names_the_tool_and_how_to_get_it()
    {
        var e = Assert.Throws<ToolMissingException>(() => Runner().Run(new ToolCommand("helm", "version")).ToString()
            + (Runner().Find("helm") is null ? "" : throw new ToolMissingException("helm", "on PATH here, so this case cannot be tested")));
        Assert.Equal("helm", e.Tool);
        Assert.Contains("Required tool 'helm' was not found on PATH", e.Message);
        Assert.Contains("--target=Prerequisites", e.Message);
    }

    [Fact]
    public void Unknown_missing_tool_still_says_what_to_do()
    {
        var e = Assert.Throws<ToolMissingException>(() => Runner().Run(new ToolCommand("no-such-tool-4711")));
        Assert.Contains("'no-such-tool-4711'", e.Message);
        Assert.Contains("Install it and put it on PATH", e.Message);
    }

    [Fact]
    public void Dry_run_executes_nothing_but_records_the_plan()
    {
        var marker = Path.Combine(Path.GetTempPath(), "dryrun-" + Guid.NewGuid().ToString("N"));
        var runner = Runner(dryRun: true);
        var touch = new ToolCommand("touch", marker);
        var missing = new ToolCommand("no-such-tool-4711", "--anything");
        Assert.Equal(ToolResult.DryRun, runner.Run(touch));
        Assert.Equal(ToolResult.DryRun, runner.Run(missing));
        Assert.Equal(0, runner.StartDetached(new ToolCommand("sleep", "60"), marker + ".log"));
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(marker + ".log"));
        Assert.Equal([touch, missing, new ToolCommand("sleep", "60")], runner.History);
    }

    [Fact]
    public void Secret_on_stdin_reaches_the_process_and_is_masked_in_the_error()
    {
        var cmd = new ToolCommand("sh", "-c", "read p; echo \"got $p\" >&2; exit 4") { StandardInput = "hunter2\n", Secrets = ["hunter2"] };
        var e = Assert.Throws<ToolFailedException>(() => Runner().Run(cmd));
        Assert.Contains("got ***", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void Extra_tool_directories_are_searched_before_PATH()
    {
        var dir = Directory.CreateTempSubdirectory("tools-").FullName;
        try
        {
            var fake = Path.Combine(dir, "sh");
            File.WriteAllText(fake, "");
            Assert.Equal(fake, Runner(false, dir).Find("sh"));
            Assert.NotEqual(fake, Runner().Find("sh"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Timeout_kills_the_command_and_fails()
    {
        var e = Assert.Throws<ToolFailedException>(() => Runner().Run(new ToolCommand("sleep", "30"), timeout: TimeSpan.FromMilliseconds(300)));
        Assert.Contains("timed out", e.Message);
    }

    [Fact]
    public void Detached_daemon_outlives_the_call_and_logs_to_its_file()
    {
        var log = Path.Combine(Path.GetTempPath(), "detached-" + Guid.NewGuid().ToString("N") + ".log");
        var pid = Runner().StartDetached(new ToolCommand("sh", "-c", "echo started; sleep 30"), log);
        try
        {
            Assert.True(pid > 0);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < deadline && !(File.Exists(log) && File.ReadAllText(log).Contains("started"))) Thread.Sleep(50);
            Assert.Contains("started", File.ReadAllText(log));
            Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited);
        }
        finally
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
            File.Delete(log);
        }
    }
}
