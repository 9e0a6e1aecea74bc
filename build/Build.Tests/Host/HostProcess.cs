using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Tests.Host;

/// <summary>
/// Runs the built pipeline (Build.dll) as a child process in a throwaway "repository": its own artifacts,
/// environments (RELEASE_ENVIRONMENTS_DIR) and state (RELEASE_STATE_DIR), so nothing touches a real environment.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private static readonly string RepoRoot = BuildPaths.Discover("local").RepoRoot;
    private static readonly string RepoEnvironments = Path.Combine(RepoRoot, "build", "environments");
    private static readonly string Dotnet = Process.GetCurrentProcess().MainModule!.FileName is var f && Path.GetFileNameWithoutExtension(f) == "dotnet" ? f : "dotnet";

    public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-host-").FullName;
    public string Environments => Path.Combine(Root, "envs");
    public string State => Path.Combine(Root, "state");
    public string Artifacts => Path.Combine(Root, "artifacts");

    public HostProcess()
    {
        File.WriteAllText(Path.Combine(Root, "global.json"), "{}");
        File.WriteAllText(Path.Combine(Root, "build.sh"), "");
        // A solution whose projects do not exist here: Build plans its command but could never run it.
        File.WriteAllText(Path.Combine(Root, "Release.slnx"), "<Solution><Project Path=\"app/Orders.Api/Orders.Api.csproj\" /></Solution>");
        Directory.CreateDirectory(Environments);
        foreach (var env in new[] { "local", "dev", "staging", "prod" })
            File.Copy(Path.Combine(RepoEnvironments, env + ".yaml"), Path.Combine(Environments, env + ".yaml"));
    }

    /// <summary>Copies a file the planned tasks read (a path relative to the repository root) into the throwaway repository.</summary>
    public void CopyFromRepository(string relativePath)
    {
        var target = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepoRoot, relativePath), target);
    }

    public void WriteEnvironment(string name, string yaml) => File.WriteAllText(Path.Combine(Environments, name + ".yaml"), yaml);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <param name="path">PATH for the child (default: an empty folder, so any executed tool would be missing).</param>
    public Result Run(string[] args, string? path = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Build.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var emptyBin = Directory.CreateDirectory(Path.Combine(Root, "empty-bin")).FullName;
        psi.Environment["PATH"] = path ?? emptyBin;
        psi.Environment["RELEASE_ENVIRONMENTS_DIR"] = Environments;
        psi.Environment["RELEASE_STATE_DIR"] = State;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("GITHUB_ACTIONS");
        psi.Environment.Remove("RELEASE_PROTECTED_ENVIRONMENT");
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60))) { p.Kill(true); throw new TimeoutException(string.Join(' ', args)); }
        p.WaitForExit();
        return new Result(p.ExitCode, Strip(stdout.Result), Strip(stderr.Result));
    }

    private static string Strip(string s) => System.Text.RegularExpressions.Regex.Replace(s, "\u001b\\[[0-9;]*m", "");

    public JsonElement RunRecord() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Artifacts, "run.json"))).RootElement;

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
