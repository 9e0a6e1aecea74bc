using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Drill.Report;
using Pipeline.Drill.Traffic;

namespace Pipeline.Tests.Drill.Report;

public sealed class ReportRenderingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drill-report-").FullName;

    private static DrillReport Synthetic(WriteVerification? writes = null, ScanEvidence? scan = null)
    {
        var records = SyntheticDrill.Records();
        writes ??= WriteVerification.Assess(records, records.Where(r => r.OrderId is not null).Select(r => r.OrderId!).ToHashSet(),
            [.. records.Where(r => r.OrderId is not null).Select(r => (r.IdempotencyKey!, r.OrderId!))]);
        return DrillReport.Build("local", 50, 0.2, SyntheticDrill.Start, SyntheticDrill.At(40), records, SyntheticDrill.Phases(), SyntheticDrill.Events(),
            SyntheticDrill.Readiness(), [], SyntheticDrill.Steal(), [new KeyCountSample(SyntheticDrill.At(10), 123)], writes, scan);
    }

    [Fact]
    public void The_html_is_self_contained_and_the_png_is_a_valid_image_of_the_expected_size()
    {
        var report = Synthetic(scan: new ScanEvidence("pass", 812, 54_000_000, 2, 0, 1, ["COPY dir:abc in /app", "ENV ASPNETCORE_HTTP_PORTS=8080 <script>"], []));
        var files = ReportWriter.Write(_dir, report, SyntheticDrill.Records());

        var png = File.ReadAllBytes(Path.Combine(_dir, "drill", "timeline.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(TimelinePlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        // Four panels plus one lane per instance (two instances here).
        Assert.Equal(4 * TimelinePlot.PanelHeight + TimelinePlot.LanesFrame + 2 * TimelinePlot.LaneHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(TimelinePlot.HeightOf(report), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // Not a blank canvas: the plot drew lines and lanes in colours (a decoder failure or an empty surface is white only).
        using (var bitmap = SkiaSharp.SKBitmap.Decode(png))
        {
            Assert.NotNull(bitmap);
            var colours = new HashSet<uint>();
            for (var y = 0; y < bitmap.Height; y += 3) for (var x = 0; x < bitmap.Width; x += 3) colours.Add((uint)bitmap.GetPixel(x, y));
            Assert.True(colours.Count > 20, $"only {colours.Count} colours: the timeline is blank");
        }

        var html = File.ReadAllText(Path.Combine(_dir, "drill", "report.html"));
        // Opens offline: no script, no stylesheet or font link, no remote URL anywhere; the image is inline.
        Assert.DoesNotMatch(new Regex("<script|<link|<iframe|@import|@font-face", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*""(?!data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"url\((?!\s*data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"https?://", RegexOptions.IgnoreCase), html);
        Assert.Contains("src=\"data:image/png;base64," + Convert.ToBase64String(png) + "\"", html);
        // Run text is encoded (an image history entry containing markup cannot inject any).
        Assert.Contains("&lt;script&gt;", html);
        // The contrast run sits on the row of the phase it breaks, and a failed phase fails the drill.
        Assert.Matches(new Regex(@"<td>canary<br>.*?FAIL.*?canary without readiness gate.*?shown", RegexOptions.Singleline), html);
        Assert.Contains("FAILED", html);
        Assert.False(report.Headline.Passed);

        var json = JsonDocument.Parse(File.ReadAllText(files[0])).RootElement;
        Assert.Equal(2000, json.GetProperty("headline").GetProperty("requests").GetInt32());
        Assert.Equal(10, json.GetProperty("headline").GetProperty("failed").GetInt32());
        Assert.Equal(10, json.GetProperty("failedRequests").GetArrayLength());
        Assert.Equal(2000, File.ReadAllLines(files[1]).Length);
    }

    [Fact]
    public void Per_second_series_markers_and_headline_come_from_the_recording()
    {
        var report = Synthetic();
        Assert.Equal(40, report.Seconds.Count);
        Assert.All(report.Seconds, s => Assert.Equal(50, s.Requests));
        Assert.Equal(10, report.Seconds[25].Failed);
        Assert.All(report.Seconds.Where(s => s.Second != 25), s => Assert.Equal(0, s.Failed));
        Assert.False(report.Seconds[5].Versions.ContainsKey("1.2.0"));
        Assert.Equal(12, report.Seconds[15].Versions["1.2.0"]); // every 4th of requests 750..799
        // Steal sampled at second 21 covers second 20.
        Assert.Equal(18, report.Seconds[20].StealPercent);
        Assert.Equal(1.5, report.Seconds[30].StealPercent);
        // Phases, weight change, verdict, cutover (stable) and rollback; "warmed" says nothing about traffic.
        Assert.Equal([Marker.Phase, Marker.Phase, Marker.Weight, Marker.Gate, Marker.Cutover, Marker.Rollback, Marker.Phase], report.Markers.Select(m => m.Kind));
        Assert.Equal((0, 0), (report.Headline.AcknowledgedMissing, report.Headline.Duplicates));
        Assert.Equal((2, 3), (report.Headline.PhasesPassed, report.Headline.Phases));
        Assert.Contains(report.Notes, n => n.Contains("No ImageScan evidence"));
    }

    [Fact]
    public void A_drill_whose_phases_pass_still_fails_without_write_verification_or_with_a_lost_write()
    {
        var records = SyntheticDrill.Records();
        var phases = SyntheticDrill.Phases().Select(p => p with { Passed = true }).ToList();
        DrillReport Build(WriteVerification? w) => DrillReport.Build("local", 50, 0.2, SyntheticDrill.Start, SyntheticDrill.At(40), records, phases, [], [], [], [], [], w, null);
        var all = records.Where(r => r.OrderId is not null).ToList();
        var good = WriteVerification.Assess(records, all.Select(r => r.OrderId!).ToHashSet(), [.. all.Select(r => (r.IdempotencyKey!, r.OrderId!))]);
        var lost = WriteVerification.Assess(records, all.Skip(1).Select(r => r.OrderId!).ToHashSet(), [.. all.Select(r => (r.IdempotencyKey!, r.OrderId!))]);
        Assert.True(Build(good).Headline.Passed);
        Assert.False(Build(lost).Headline.Passed);
        Assert.False(Build(null).Headline.Passed);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("DRILL_REPORT_KEEP") is { Length: > 0 } keep) CopyTo(keep);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    // DRILL_REPORT_KEEP=/some/dir keeps the synthetic report for a look (the rendering is judged by eye once).
    private void CopyTo(string target)
    {
        if (!Directory.Exists(Path.Combine(_dir, "drill"))) return;
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(Path.Combine(_dir, "drill"))) File.Copy(f, Path.Combine(target, Path.GetFileName(f)), true);
    }
}
