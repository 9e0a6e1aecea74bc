using Pipeline.Gates.Canary.Statistics;

namespace Pipeline.Tests.Gates.Canary.Statistics;

public class BucketHistogramTests
{
    // 100 requests: 50 ≤ 10 ms, 90 ≤ 20 ms, 99 ≤ 50 ms, all ≤ 100 ms.
    private static readonly BucketHistogram H = new([(0.1, 100), (0.01, 50), (0.02, 90), (0.05, 99), (double.PositiveInfinity, 100)]);

    [Fact]
    public void Bound_at_quantile_is_the_smallest_bucket_holding_that_share()
    {
        Assert.Equal(0.01, H.BoundAtQuantile(0.5));
        Assert.Equal(0.02, H.BoundAtQuantile(0.9));
        Assert.Equal(0.05, H.BoundAtQuantile(0.95));
        Assert.Equal(0.1, H.BoundAtQuantile(0.999));
        Assert.Null(BucketHistogram.Empty.BoundAtQuantile(0.5));
    }

    [Fact]
    public void Count_above_a_bound_is_exact_in_bucket_counts()
    {
        Assert.Equal(50, H.CountAbove(0.01));
        Assert.Equal(1, H.CountAbove(0.05));
        Assert.Equal(0, H.CountAbove(0.033)); // not a bound: no event defined
    }

    [Fact]
    public void Quantile_interpolates_like_histogram_quantile()
    {
        Assert.Equal(0.01, H.Quantile(0.5), 12);
        Assert.Equal(0.015, H.Quantile(0.7), 12);  // 70 of 100: halfway from 50 (10 ms) to 90 (20 ms)
        Assert.Equal(0.05, H.Quantile(0.99), 12);
        Assert.True(double.IsNaN(BucketHistogram.Empty.Quantile(0.5)));
    }
}
