using Orders.Api.Metrics;

namespace Orders.Api.Tests.Metrics;

public sealed class LatencyBucketsTests
{
    [Fact]
    public void Bounds_cover_1_ms_to_10_s_exactly()
    {
        Assert.Equal(0.001, LatencyBuckets.Bounds[0]);
        Assert.Equal(10.0, LatencyBuckets.Bounds[^1]);
        Assert.Equal(43, LatencyBuckets.Bounds.Length);
    }

    [Fact]
    public void Adjacent_bounds_are_at_most_25_percent_apart_so_a_quantile_read_from_them_is_within_25_percent()
    {
        var ratios = LatencyBuckets.Bounds.Zip(LatencyBuckets.Bounds.Skip(1), (lower, upper) => upper / lower).ToList();
        Assert.All(ratios, r => Assert.InRange(r, 1.2, LatencyBuckets.MaxRatio));
    }

    [Fact]
    public void Bounds_are_short_decimals_so_the_le_label_is_stable_and_readable()
    {
        foreach (var bound in LatencyBuckets.Bounds)
        {
            var text = bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var digits = text.TrimStart('0', '.').Replace(".", "").TrimEnd('0');
            Assert.True(digits.Length <= 4, $"{text} has more than 4 significant digits");
        }
    }

    [Theory]
    [InlineData(0.100, 0.110)] // the shift the old 100 → 250 ms bucket turned into a "p99 ×1.75"
    [InlineData(0.005, 0.0195)] // the ×3.9 the old 5 → 25 ms bucket hid
    public void Latencies_the_old_buckets_confused_now_land_in_different_buckets(double before, double after)
    {
        Assert.NotEqual(BucketOf(before), BucketOf(after));
    }

    static int BucketOf(double seconds) => Array.FindIndex(LatencyBuckets.Bounds, b => seconds <= b);
}
