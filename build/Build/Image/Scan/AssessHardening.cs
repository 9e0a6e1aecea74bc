using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Image.Scan;

/// <summary>
/// The image must be useless to an intruder and still work under production's restrictions:
/// a non-root user, no shell or package manager, and liveness served with a read-only root filesystem.
/// </summary>
public static class AssessHardening
{
    public const string Gate = "image.hardening";

    /// <summary>File names that give an attacker an interpreter or a way to install one, wherever they are.</summary>
    public static readonly IReadOnlySet<string> ForbiddenNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "sh", "bash", "dash", "ash", "zsh", "busybox", "apt", "apt-get", "dpkg", "apk", "microdnf", "dnf", "yum", "rpm",
    };

    public sealed record StaticFindings(string? User, IReadOnlyList<string> Problems);

    public static StaticFindings InspectStatic(OciImage image)
    {
        var problems = new List<string>();
        var user = image.User;
        if (!RunsAsNonRoot(user)) problems.Add($"config User is '{user ?? ""}' (must be a non-zero uid, e.g. 1654)");
        foreach (var p in image.FinalPaths()
                     .Where(kv => kv.Value.Type != System.Formats.Tar.TarEntryType.Directory && ForbiddenNames.Contains(Path.GetFileName(kv.Key)))
                     .Select(kv => kv.Key).Order(StringComparer.Ordinal))
            problems.Add($"forbidden executable present: {p}");
        return new StaticFindings(user, problems);
    }

    /// <summary>"1654", "1654:1654", "app" (named users are refused: only a number proves non-root without reading passwd).</summary>
    public static bool RunsAsNonRoot(string? user)
    {
        if (string.IsNullOrEmpty(user)) return false;
        var uid = user.Split(':')[0];
        return int.TryParse(uid, out var n) && n > 0;
    }

    /// <summary>Liveness needs no database; these make the app start (it refuses to run without DB settings).</summary>
    public static IReadOnlyDictionary<string, string> ProbeEnvironment => new Dictionary<string, string>
    {
        ["ORDERS_DB_HOST"] = "127.0.0.1",
        ["ORDERS_DB_PORT"] = "1",
        ["ORDERS_DB_NAME"] = "probe",
        ["ORDERS_DB_USER"] = "probe",
        ["ORDERS_DB_PASSWORD_FILE"] = "/run/secrets/db-password",
    };

    public sealed record ProbeResult(bool Live, double SecondsToLive, string Detail);

    public static ProbeResult ProbeReadOnlyRun(BuildContext context, string image, string workDir)
    {
        Directory.CreateDirectory(workDir);
        var pw = Path.Combine(workDir, "probe-db-password");
        File.WriteAllText(pw, "not-a-real-password\n");
        var port = FreePort();
        var name = $"image-probe-{Guid.NewGuid():N}"[..24];
        var sw = Stopwatch.StartNew();
        try
        {
            context.Runner.Run(Podman.ImageProbeRun(name, image, port, ProbeEnvironment, [$"{pw}:/run/secrets/db-password:ro"]));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                Poll.Until(() =>
                {
                    try
                    {
                        using var r = http.GetAsync($"http://127.0.0.1:{port}/healthz/live").GetAwaiter().GetResult();
                        return (r.StatusCode == HttpStatusCode.OK, $"GET /healthz/live → {(int)r.StatusCode}");
                    }
                    catch (HttpRequestException e) { return (false, e.Message); }
                    catch (TaskCanceledException) { return (false, "no answer within 2 s"); }
                }, TimeSpan.FromSeconds(20), "the read-only image to answer GET /healthz/live", TimeSpan.FromMilliseconds(50));
                return new ProbeResult(true, sw.Elapsed.TotalSeconds, $"GET /healthz/live → 200 after {sw.Elapsed.TotalSeconds:F2} s");
            }
            catch (PollTimeoutException e)
            {
                var logs = context.Runner.Run(Podman.ImageProbeLogs(name), allowFailure: true);
                return new ProbeResult(false, sw.Elapsed.TotalSeconds, $"no 200 from /healthz/live within 20 s (last: {e.LastObservation}); logs:\n" + Tail(logs.StandardOutput + logs.StandardError));
            }
        }
        finally
        {
            context.Runner.Run(Podman.ImageProbeRemove(name), allowFailure: true);
        }
    }

    public static GateVerdict Assess(StaticFindings s, ProbeResult probe, string evidenceDir)
    {
        var problems = s.Problems.ToList();
        if (!probe.Live) problems.Add("read-only run: " + probe.Detail);
        File.WriteAllText(Path.Combine(evidenceDir, "hardening.json"), JsonSerializer.Serialize(new
        {
            user = s.User,
            forbiddenNames = ForbiddenNames.Order(StringComparer.Ordinal),
            probe = new { flags = "--read-only --read-only-tmpfs=false --tmpfs /tmp --cap-drop=ALL --security-opt no-new-privileges --user 1654:1654", probe.Live, probe.SecondsToLive, probe.Detail },
            problems,
        }, RunRecord.Json) + "\n");
        var figures = new Dictionary<string, double> { ["problems"] = problems.Count, ["secondsToLive"] = Math.Round(probe.SecondsToLive, 3) };
        return problems.Count == 0
            ? new GateVerdict(Gate, Verdict.Pass, $"user {s.User}, no shell or package manager, live in {probe.SecondsToLive:F2} s on a read-only root without capabilities", figures)
            : new GateVerdict(Gate, Verdict.Fail, string.Join("; ", problems), figures);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));
}
