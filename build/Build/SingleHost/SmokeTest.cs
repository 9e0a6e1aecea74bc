using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>
/// Post-deploy smoke gate: GET each configured path through the LB's preview route. Every response must
/// be 2xx and come from the candidate version (X-App-Version), or the new version was not what answered.
/// </summary>
public static class SmokeTest
{
    public static GateVerdict Assess(SingleHostSession session, string expectedVersion)
    {
        if (session.DryRun) return new GateVerdict("smoke", Verdict.Skipped, "dry run");
        var layout = session.Layout;
        var (header, value) = layout.PreviewHeader;
        var failures = new List<string>();
        var paths = session.Config.Gates.Smoke.Paths;
        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{layout.Config.SingleHost.LoadBalancerPort}{path}");
            request.Headers.TryAddWithoutValidation(header, value);
            try
            {
                using var response = SingleHostSession.Http.Send(request);
                var version = response.Headers.TryGetValues("X-App-Version", out var v) ? v.FirstOrDefault() : null;
                if (!response.IsSuccessStatusCode) failures.Add($"{path}: HTTP {(int)response.StatusCode}");
                else if (version != expectedVersion) failures.Add($"{path}: answered by version {version ?? "(none)"}, expected {expectedVersion}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { failures.Add($"{path}: {e.Message}"); }
        }
        return failures.Count == 0
            ? new GateVerdict("smoke", Verdict.Pass, $"{paths.Count} paths answered 2xx by {expectedVersion} via the preview route")
            : new GateVerdict("smoke", Verdict.Fail, string.Join("; ", failures));
    }
}
