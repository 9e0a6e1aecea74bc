using System.Collections.Concurrent;
using System.Net;
using Pipeline.GitHub;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.GitHub;

/// <summary>
/// A real HTTP server on a free loopback port standing in for api.github.com (GitHub itself cannot run here): it
/// answers scripted JSON per "METHOD /path" and records every request — method, path with query, body — so a test
/// asserts the exact API calls Octokit made. Octokit treats any host but api.github.com as GitHub Enterprise and
/// prefixes "/api/v3": recorded paths carry that prefix.
/// </summary>
public sealed class RecordingGitHub : IDisposable
{
    public sealed record Call(string Method, string Path, string Body)
    {
        public override string ToString() => $"{Method} {Path} {Body}";
    }

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, (int Status, string Json)> _answers = new();
    private readonly ConcurrentQueue<Call> _calls = new();
    public string Url { get; }

    public RecordingGitHub()
    {
        Url = $"http://127.0.0.1:{FreePorts.One()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(Serve);
    }

    public IReadOnlyList<Call> Calls => [.. _calls];

    /// <summary>Answer "METHOD /path" (no query, without the /api/v3 prefix) with a status and JSON.</summary>
    public RecordingGitHub On(string method, string path, string json, int status = 200)
    {
        _answers[$"{method} /api/v3{path}"] = (status, json);
        return this;
    }

    public GitHubSettings Settings(long? runId = 99) =>
        new("t0ken", "acme", "orders", new Uri(Url), runId, "abc123", "https://github.example");

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var path = ctx.Request.Url!.AbsolutePath;
            _calls.Enqueue(new Call(ctx.Request.HttpMethod, ctx.Request.Url.PathAndQuery, body));
            var (status, json) = _answers.TryGetValue($"{ctx.Request.HttpMethod} {path}", out var a) ? a : (404, """{"message":"Not Found"}""");
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json; charset=utf-8";
            var bytes = System.Text.Encoding.UTF8.GetBytes(json);
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
