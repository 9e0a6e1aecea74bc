using Pipeline.GitHub;

namespace Pipeline.Tests.GitHub;

public class GitHubSettingsTests
{
    private static Func<string, string?> Env(params (string, string)[] vars) => k => vars.FirstOrDefault(v => v.Item1 == k).Item2;

    [Fact]
    public void Off_without_a_token_or_a_repository()
    {
        Assert.Null(GitHubSettings.FromEnvironment(Env(("GITHUB_REPOSITORY", "acme/orders"))));
        Assert.Null(GitHubSettings.FromEnvironment(Env(("GITHUB_TOKEN", "t"))));
    }

    [Fact]
    public void Reads_what_Actions_sets()
    {
        var s = GitHubSettings.FromEnvironment(Env(("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", "acme/orders"), ("GITHUB_RUN_ID", "123"), ("GITHUB_SHA", "abc")))!;
        Assert.Equal(("acme", "orders", 123L, "abc"), (s.Owner, s.Repository, s.RunId!.Value, s.Sha));
        Assert.Equal(new Uri("https://api.github.com"), s.ApiUrl);
        Assert.Equal("https://github.com/acme/orders/actions/runs/123", s.RunUrl);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("acme/orders/x")]
    [InlineData("/orders")]
    public void A_malformed_repository_is_a_clear_error(string repository)
    {
        var e = Assert.Throws<ArgumentException>(() => GitHubSettings.FromEnvironment(Env(("GITHUB_TOKEN", "t"), ("GITHUB_REPOSITORY", repository))));
        Assert.Contains("owner/name", e.Message);
    }
}
