using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Drill.Report;

/// <summary>
/// report.html: the document a new hire opens. Self-contained on purpose — inline CSS, the timeline as a data: URI,
/// no script, font or stylesheet from anywhere — so it opens offline, from a CI artifact or a mail attachment, and
/// shows the same thing in a year. Every text that came from the run is HTML-encoded.
/// </summary>
public static class ReportHtml
{
    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1650px;color:#222;padding:0 1rem}
        h1{margin-bottom:.2rem} h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
        table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem} th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f3f3} .pass{color:#126b2f;font-weight:600} .fail{color:#b00020;font-weight:600} .muted{color:#666}
        .verdict{display:inline-block;padding:.3rem .8rem;border-radius:.3rem;color:#fff;font-weight:700}
        .verdict.pass{background:#1d7a3a;color:#fff} .verdict.fail{background:#b00020;color:#fff}
        img{max-width:100%;border:1px solid #ddd} code,pre{font-family:ui-monospace,monospace;font-size:.85rem} pre{background:#f7f7f7;padding:.5rem;overflow-x:auto}
        """;

    public static string Render(DrillReport r, byte[] timelinePng)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Release drill — ").Append(E(r.Environment))
         .Append("</title>\n<style>").Append(Css).Append("</style></head><body>\n");
        h.Append("<h1>Release drill on <code>").Append(E(r.Environment)).Append("</code></h1>\n<p class=\"muted\">")
         .Append(E($"{r.StartedAt:u} → {r.EndedAt:u} ({(r.EndedAt - r.StartedAt).TotalMinutes:0.0} min), {r.RatePerSecond:0.#} requests/s open loop, {r.WriteRatio:P0} idempotent writes"))
         .Append("</p>\n<p><span class=\"verdict ").Append(r.Headline.Passed ? "pass\">PASSED" : "fail\">FAILED").Append("</span></p>\n");
        Headline(h, r);
        Summary(h, r);
        h.Append("<h2>Timeline</h2>\n<p class=\"muted\">Black: phase starts; blue dashed: cutover (a release became stable); grey dashed: weight change; purple dashed: gate verdict; orange dashed: rollback.</p>\n")
         .Append("<img alt=\"drill timeline\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(timelinePng)).Append("\">\n");
        Writes(h, r);
        Readiness(h, r);
        Scan(h, r);
        Keys(h, r);
        Failures(h, r);
        if (r.Notes.Count > 0) h.Append("<h2>Notes</h2>\n<ul>").Append(string.Concat(r.Notes.Select(n => $"<li>{E(n)}</li>"))).Append("</ul>\n");
        h.Append("<p class=\"muted\">Reproduce: <code>./build.sh --target=ReleaseDrill --env=").Append(E(r.Environment))
         .Append("</code>. The data behind this page: report.json and requests.jsonl beside it.</p>\n</body></html>\n");
        return h.ToString();
    }

    private static void Headline(StringBuilder h, DrillReport r)
    {
        var x = r.Headline;
        h.Append("<table><tr><th>Requests</th><th>Failed</th><th>p50</th><th>p99</th><th>Acknowledged writes missing</th><th>Duplicate writes</th><th>Phases on target</th></tr>\n<tr>")
         .Append(Td(x.Requests.ToString(CultureInfo.InvariantCulture))).Append(Td(x.Failed.ToString(CultureInfo.InvariantCulture)))
         .Append(Td(F($"{x.P50Ms:0.0} ms"))).Append(Td(F($"{x.P99Ms:0.0} ms")))
         .Append(Flag(x.AcknowledgedMissing, "not checked")).Append(Flag(x.Duplicates, "not checked"))
         .Append(Td(F($"{x.PhasesPassed} / {x.Phases}"), x.PhasesPassed == x.Phases)).Append("</tr></table>\n");
    }

    /// <summary>Each real phase against its target, with the contrast runs that break its seam beside it.</summary>
    private static void Summary(StringBuilder h, DrillReport r)
    {
        h.Append("<h2>Phases against their targets</h2>\n<p class=\"muted\">A contrast run removes one seam on purpose; its target is to SHOW the outage that seam prevents (a contrast run that shows nothing fails).</p>\n")
         .Append("<table><tr><th>Phase</th><th>Target</th><th>Figure</th><th>Result</th><th>Contrast run (seam removed)</th><th>Its figure</th><th>Outage shown</th></tr>\n");
        var contrasts = r.Phases.Where(p => p.Contrast).ToList();
        var paired = new HashSet<PhaseResult>();
        foreach (var p in r.Phases.Where(p => !p.Contrast))
        {
            var mine = contrasts.Where(c => c.Breaks == p.Name).ToList();
            paired.UnionWith(mine);
            var rows = Math.Max(1, mine.Count);
            for (var i = 0; i < rows; i++)
            {
                h.Append("<tr>");
                if (i == 0)
                {
                    var span = rows > 1 ? $" rowspan=\"{rows}\"" : "";
                    h.Append($"<td{span}>{E(p.Name)}{(p.Note is null ? "" : $"<br><span class=\"muted\">{E(p.Note)}</span>")}</td><td{span}>{E(p.Target)}</td><td{span}>{E(p.Figure)}</td>")
                     .Append($"<td{span} class=\"{(p.Passed ? "pass\">pass" : "fail\">FAIL")}</td>");
                }
                ContrastCells(h, i < mine.Count ? mine[i] : null);
                h.Append("</tr>\n");
            }
        }
        foreach (var c in contrasts.Where(c => !paired.Contains(c)))
        {
            h.Append("<tr><td class=\"muted\">(no real phase named ").Append(E(c.Breaks ?? "—")).Append(")</td><td></td><td></td><td></td>");
            ContrastCells(h, c);
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");
    }

    private static void ContrastCells(StringBuilder h, PhaseResult? c)
    {
        if (c is null) { h.Append("<td class=\"muted\">—</td><td></td><td></td>"); return; }
        h.Append(Td(c.Name + " — " + c.Target)).Append(Td(c.Figure)).Append($"<td class=\"{(c.Passed ? "pass\">shown" : "fail\">NOT SHOWN")}</td>");
    }

    private static void Writes(StringBuilder h, DrillReport r)
    {
        h.Append("<h2>Every write read back</h2>\n");
        if (r.Writes is not { } w) { h.Append("<p class=\"fail\">Not verified.</p>\n"); return; }
        h.Append("<table><tr><th>Writes</th><th>Acknowledged</th><th>Retried (same key)</th><th>Never acknowledged</th><th>…of which committed anyway</th><th>Missing via API</th><th>Missing in PostgreSQL</th><th>Duplicate rows</th><th>Key acknowledged as two orders</th></tr><tr>")
         .Append(string.Concat(new[] { w.Writes, w.Acknowledged, w.Retried, w.NeverAcknowledged, w.CommittedButUnacknowledged }.Select(n => Td(n.ToString(CultureInfo.InvariantCulture)))))
         .Append(Flag(w.MissingInApi, "")).Append(Flag(w.MissingInDatabase, "")).Append(Flag(w.DuplicateRows, "")).Append(Flag(w.ConflictingAcknowledgements, ""))
         .Append("</tr></table>\n");
        if (w.Examples.Count > 0) h.Append("<pre>").Append(E(string.Join('\n', w.Examples))).Append("</pre>\n");
    }

    private static void Readiness(StringBuilder h, DrillReport r)
    {
        h.Append("<h2>Readiness and liveness transitions</h2>\n<p class=\"muted\">Each instance's /healthz/ready and /healthz/live, probed directly (not through the load balancer) every 250 ms. Expected: not-ready at start until the pool opened, not-ready while draining, not-ready everywhere during the database outage while live stays green.</p>\n")
         .Append("<table><tr><th>Time (s)</th><th>Instance</th><th>Probe</th><th>From</th><th>To</th></tr>\n");
        foreach (var (t, probe) in r.Readiness.Select(t => (t, "ready")).Concat(r.Liveness.Select(t => (t, "live"))).OrderBy(x => x.t.At))
            h.Append("<tr>").Append(Td(F($"{(t.At - r.StartedAt).TotalSeconds:0.00}"))).Append(Td(t.Instance)).Append(Td(probe)).Append(Td(t.From)).Append(Td(t.To)).Append("</tr>\n");
        h.Append("</table>\n");
    }

    private static void Scan(StringBuilder h, DrillReport r)
    {
        h.Append("<h2>Image evidence (ImageScan)</h2>\n");
        if (r.Scan is not { } s) { h.Append("<p class=\"fail\">No ImageScan evidence in artifacts/scan/: nothing is claimed about the image.</p>\n"); return; }
        h.Append("<table><tr><th>Secrets verdict</th><th>Files scanned</th><th>Bytes</th><th>Layers</th><th>Findings</th><th>Allowlisted</th><th>Hardening problems</th></tr><tr>")
         .Append(Td(s.Verdict, s.Verdict == "pass")).Append(Td(s.ScannedFiles.ToString(CultureInfo.InvariantCulture))).Append(Td(F($"{s.ScannedBytes / 1e6:0.0} MB")))
         .Append(Td(s.Layers.ToString(CultureInfo.InvariantCulture))).Append(Flag(s.Findings, "")).Append(Td(s.Allowlisted.ToString(CultureInfo.InvariantCulture)))
         .Append(Flag(s.HardeningProblems.Count, "")).Append("</tr></table>\n<p>Every history entry of the image (a build-arg value would show here):</p><pre>")
         .Append(E(string.Join('\n', s.History))).Append("</pre>\n");
    }

    private static void Keys(StringBuilder h, DrillReport r)
    {
        if (r.IdempotencyKeys.Count == 0) return;
        h.Append("<h2>Idempotency keys table</h2>\n<p class=\"muted\">Rows every 10 s: a steady climb is the drill's writes; the sweeper removes keys after their retention.</p><p>")
         .Append(E(string.Join(", ", r.IdempotencyKeys.Select(k => F($"{(k.At - r.StartedAt).TotalSeconds:0} s: {(k.Rows is { } n ? n.ToString(CultureInfo.InvariantCulture) : "n/a (" + k.Error + ")")}")))))
         .Append("</p>\n");
    }

    private static void Failures(StringBuilder h, DrillReport r)
    {
        h.Append("<h2>Failed requests</h2>\n");
        if (r.FailedRequests.Count == 0) { h.Append("<p class=\"pass\">None.</p>\n"); return; }
        h.Append("<p>").Append(r.FailedRequests.Count.ToString(CultureInfo.InvariantCulture)).Append(" failed attempts (the first 200; all in report.json):</p>\n<table><tr><th>Time (s)</th><th>Seq</th><th>Attempt</th><th>Write</th><th>Status / error</th><th>Version</th><th>Instance</th><th>Phase</th></tr>\n");
        foreach (var f in r.FailedRequests.Take(200))
        {
            var phase = r.Phases.LastOrDefault(p => p.Start <= f.ScheduledAt && f.ScheduledAt < p.End)?.Name ?? "";
            h.Append("<tr>").Append(Td(F($"{(f.ScheduledAt - r.StartedAt).TotalSeconds:0.000}"))).Append(Td(f.Seq.ToString(CultureInfo.InvariantCulture)))
             .Append(Td(f.Attempt.ToString(CultureInfo.InvariantCulture))).Append(Td(f.IsWrite ? "yes" : "")).Append(Td(f.Status == 0 ? f.Error ?? "transport error" : F($"HTTP {f.Status}")))
             .Append(Td(f.Version ?? "")).Append(Td(f.Instance ?? "")).Append(Td(phase)).Append("</tr>\n");
        }
        h.Append("</table>\n");
    }

    private static string Flag(int? n, string whenNull) => n is null
        ? $"<td class=\"fail\">{E(whenNull)}</td>"
        : $"<td class=\"{(n == 0 ? "pass" : "fail")}\">{n.Value.ToString(CultureInfo.InvariantCulture)}</td>";

    private static string Td(string text, bool? good = null) =>
        good is null ? $"<td>{E(text)}</td>" : $"<td class=\"{(good.Value ? "pass" : "fail")}\">{E(text)}</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
