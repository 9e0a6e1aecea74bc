using System.Diagnostics;

namespace Orders.Api.Commands;

/// <summary>
/// `Orders.Api smoke URL...`: GETs each URL once and exits 0 only if every answer is 2xx — the chart's `helm test`
/// pod runs it from the release's own image digest (a distroless image has no curl or shell, and a second image
/// would be one more thing to pin and scan). Exit 1 on any failure (each one printed), 2 on bad arguments.
/// </summary>
public static class SmokeCommand
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args.Any(a => !Uri.TryCreate(a, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
        {
            await stderr.WriteLineAsync("usage: Orders.Api smoke <http(s) URL>... (every URL absolute)");
            return 2;
        }
        using var client = new HttpClient { Timeout = Timeout };
        var failed = 0;
        foreach (var url in args)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync(url);
                var ok = response.IsSuccessStatusCode;
                if (!ok) failed++;
                await (ok ? stdout : stderr).WriteLineAsync($"{(ok ? "ok  " : "FAIL")} {(int)response.StatusCode} {url} {sw.ElapsedMilliseconds} ms");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failed++;
                await stderr.WriteLineAsync($"FAIL {url}: {e.Message}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
