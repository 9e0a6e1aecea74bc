using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>Exact argv of the kubectl commands that read and write the release records on Kubernetes.</summary>
public class KubeRecordCommandTests
{
    [Fact]
    public void Reads_name_context_and_namespace_and_treat_an_absent_object_as_an_answer()
    {
        Assert.Equal("kubectl --context dev --namespace orders-dev get configmap orders-release-state --ignore-not-found --output json",
            Kubectl.GetIfExists("dev", "orders-dev", "configmap", "orders-release-state").ToString());
        Assert.Equal("kubectl --context dev --namespace orders-dev get lease orders-release-lock --ignore-not-found --output json",
            Kubectl.GetIfExists("dev", "orders-dev", "lease", "orders-release-lock").ToString());
        Assert.Equal(["--context", "dev", "--namespace", "orders-dev", "get", "configmaps", "--selector", "orders-release/record=audit,orders-release/release=orders", "--output", "json"],
            Kubectl.GetBySelector("dev", "orders-dev", "configmaps", "orders-release/record=audit,orders-release/release=orders").Args);
    }

    [Fact]
    public void Writes_send_the_manifest_on_stdin_and_print_the_stored_object()
    {
        const string manifest = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","resourceVersion":"7"}}""";
        var create = Kubectl.Create("dev", "orders-dev", manifest);
        Assert.Equal(["--context", "dev", "--namespace", "orders-dev", "create", "--filename", "-", "--output", "json"], create.Args);
        Assert.Equal(manifest, create.StandardInput);
        var replace = Kubectl.Replace("prod", "orders-prod", manifest);
        Assert.Equal(["--context", "prod", "--namespace", "orders-prod", "replace", "--filename", "-", "--output", "json"], replace.Args);
        Assert.Equal(manifest, replace.StandardInput);
        Assert.DoesNotContain(manifest, replace.ToString()); // printed (--dryrun, run record) without the object
    }

    [Fact]
    public void The_audit_retention_deletes_named_entries_and_an_entry_already_gone_is_no_error()
    {
        var delete = Kubectl.Delete("prod", "orders-prod", "configmap", ["orders-audit-20260101-000000-000-0a1b2c3d", "orders-audit-20260102-000000-000-4e5f6a7b"]);
        Assert.Equal(["--context", "prod", "--namespace", "orders-prod", "delete", "configmap",
            "orders-audit-20260101-000000-000-0a1b2c3d", "orders-audit-20260102-000000-000-4e5f6a7b", "--ignore-not-found", "--wait=false"], delete.Args);
        Assert.Null(delete.StandardInput);
    }
}
