namespace Pipeline.Tests.Infrastructure.Support;

/// <summary>
/// `terraform show -json` of refresh-only plans, hand-written in Terraform's documented JSON plan format (no Terraform
/// here): resource_drift lists what changed outside Terraform, with before/after of each object.
/// </summary>
public static class RefreshOnlyPlans
{
    /// <summary>Only the pipeline's own canary upgrades happened: the app release has a new revision and values in metadata.</summary>
    public const string PipelineUpgradesOnly = """
        {"format_version":"1.2","terraform_version":"1.10.5","resource_drift":[
          {"address":"module.orders.helm_release.app","module_address":"module.orders","mode":"managed","type":"helm_release","name":"app",
           "change":{"actions":["update"],
             "before":{"name":"orders","namespace":"orders-prod","version":"0.1.0","status":"deployed","metadata":{"revision":3,"app_version":"1.2.0","values":"{\"stable\":{\"digest\":\"sha256:1111\"}}"}},
             "after": {"name":"orders","namespace":"orders-prod","version":"0.1.0","status":"deployed","metadata":{"revision":7,"app_version":"1.3.0","values":"{\"stable\":{\"digest\":\"sha256:2222\"}}"}}}}
        ]}
        """;

    /// <summary>Someone changed the Gateway by hand, deleted the secret store, and upgraded the app to another chart version.</summary>
    public const string OutOfBand = """
        {"format_version":"1.2","terraform_version":"1.10.5","resource_drift":[
          {"address":"module.orders.helm_release.app","type":"helm_release","name":"app",
           "change":{"actions":["update"],
             "before":{"name":"orders","version":"0.1.0","metadata":{"revision":3}},
             "after": {"name":"orders","version":"0.2.0","metadata":{"revision":4}}}},
          {"address":"module.orders.kubectl_manifest.gateway","type":"kubectl_manifest","name":"gateway",
           "change":{"actions":["update"],
             "before":{"yaml_incluster":"aaa","live_manifest_incluster":"bbb","uid":"u1"},
             "after": {"yaml_incluster":"ccc","live_manifest_incluster":"bbb","uid":"u1"}}},
          {"address":"module.orders.kubectl_manifest.secret_store","type":"kubectl_manifest","name":"secret_store",
           "change":{"actions":["delete"],"before":{"uid":"u2"},"after":null}}
        ]}
        """;
}
