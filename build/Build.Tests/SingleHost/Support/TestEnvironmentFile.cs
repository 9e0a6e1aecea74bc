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
            # Sized so a healthy canary passes a step in ≤ 20 s at the tests' ~10 req/s on a 25 % canary:
            # 0 errors in ~120 requests shows < 2 points, the median and tail bounds pass alongside.
            falseRollbackBudget: 0.05
            maxErrorRatio: 2
            maxErrorRateIncrease: 0.02
            latencyQuantiles: [0.5, 0.99]
            maxSlowRatio: 1.5
            maxSlowIncrease: 0.03
            minLatencyIncreaseMs: 20
            passRisk: 0.2
            minSamples: 60
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
