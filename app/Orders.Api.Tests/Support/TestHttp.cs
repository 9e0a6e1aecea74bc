using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orders.Api.Tests.Support;

public static class TestHttp
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.True(json.TryGetProperty("title", out _));
        return json;
    }

    /// <summary>Polls until the path answers with the expected status; returns that response.</summary>
    public static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HttpResponseMessage? last = null;
        string lastError = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetAsync(path);
                if (last.StatusCode == expected) return last;
                lastError = await last.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException ex) { lastError = ex.Message; }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"{path} did not return {(int)expected} within {timeout.TotalSeconds} s; last: {(int?)last?.StatusCode} {lastError}");
    }

    public static string? Version(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-App-Version", out var values) ? values.Single() : null;
}
