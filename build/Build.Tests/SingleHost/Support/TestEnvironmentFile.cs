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
            maxErrorRateIncrease: 0.01
            maxP99Ratio: 3
            minSamples: 20
            alpha: 0.05
            minEffectSize: 0.2
            windowSeconds: 5
            sampleStepSeconds: 1
            inconclusiveTimeoutSeconds: 20
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
