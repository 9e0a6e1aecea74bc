namespace Pipeline.Tools;

/// <summary>argv for the dotnet CLI.</summary>
public static class DotNetCommands
{
    public static ToolCommand Build(string project, string configuration = "Release") =>
        new("dotnet", "build", project, "--configuration", configuration, "--nologo") { EchoOutput = true };

    /// <summary>Runs tests with TRX results and coverlet coverage (cobertura) into <paramref name="resultsDir"/>.</summary>
    public static ToolCommand Test(string project, string resultsDir, string? filter = null, string configuration = "Release")
    {
        var args = new List<string>
        {
            "test", project, "--configuration", configuration, "--no-build", "--nologo",
            "--results-directory", resultsDir,
            "--logger", "trx", "--logger", "console;verbosity=minimal",
            "--collect", "XPlat Code Coverage",
        };
        if (filter is not null) args.AddRange(["--filter", filter]);
        return new ToolCommand("dotnet", args) { EchoOutput = true };
    }

    public static ToolCommand Publish(string project, string output, string runtime, bool selfContained, bool trimmed, IReadOnlyDictionary<string, string>? properties = null)
    {
        var args = new List<string>
        {
            "publish", project, "--configuration", "Release", "--runtime", runtime,
            selfContained ? "--self-contained" : "--no-self-contained", "--output", output, "--nologo",
        };
        if (trimmed) args.Add("-p:PublishTrimmed=true");
        foreach (var (k, v) in properties ?? new Dictionary<string, string>()) args.Add($"-p:{k}={v}");
        return new ToolCommand("dotnet", args);
    }
}
