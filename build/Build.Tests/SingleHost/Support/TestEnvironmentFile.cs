using Pipeline.Tests.Support;
namespace Pipeline.Tests.SingleHost.Support;

/// <summary>An environment file with free ports and a unique name, for tests that must not collide with `local`.</summary>
public static class TestEnvironmentFile
{
    public static string Yaml(string name, string strategy = "canary", int replicas = 3, int registryPort = 0, string steps = "[25, 50, 100]",
        int pauseSeconds = 1, int drainDelay = 1, int shutdownTimeout = 8, int grace = 12, string smokePaths = "[\"/healthz/ready\", \"/orders?limit=1\"]")
    {
        var registry = registryPort == 0 ? FreePorts.One() : registryPort;
        return $"""
        name: {name}
        target: single-host
        image:
          registry: localhost:{registry}
          repository: orders-api
          base: local
        replicas: {replicas}
        strategy:
          kind: {strategy}
          maxSurge: 1
          maxUnavailable: 0
          steps: {steps}
          pauseSeconds: {pauseSeconds}
          previewHeader: "X-Canary: always"
        gates:
          minLineCoveragePercent: 0
          canary:
            # Sized so a healthy canary passes a step in ≤ 20 s at the tests' 6-10 req/s on a 25 % canary with the
            # machine shared: wider margins than local.yaml (+3 points of errors, +5 points slower than stable's
            # tail bound) — measured: at +3 points of tail margin a healthy canary's 2/190 vs 2/576 was not yet
            # shown below it after 30 s (e = 3.8 of 5) and rolled back.
            falseRollbackBudget: 0.05
            maxErrorRatio: 2
            maxErrorRateIncrease: 0.03
            latencyQuantiles: [0.5, 0.99]
            maxSlowRatio: 1.5
            maxSlowIncrease: 0.05
            minLatencyIncreaseMs: 20
            passRisk: 0.25
            minSamples: 50
            minSeconds: 6
            scrapeIntervalSeconds: 1
            baselineSeconds: 30
            inconclusiveTimeoutSeconds: 30
          smoke:
            paths: {smokePaths}
        resources:
          cpus: 1
          memoryMb: 256
        app:
          drainDelaySeconds: {drainDelay}
          shutdownTimeoutSeconds: {shutdownTimeout}
          gracePeriodSeconds: {grace}
          warmupDelaySeconds: 0
        singleHost:
          loadBalancerPort: {FreePorts.One()}
          statsPort: {FreePorts.One()}
          prometheusPort: {FreePorts.One()}
          registryPort: {registry}
          postgresPort: {FreePorts.One()}
          appPortBase: {FreePorts.Run(2 * replicas + 2)}

        """;
    }
}
