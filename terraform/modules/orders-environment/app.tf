# The app's Helm release from charts/orders, pinned to a chart version and an image digest.
#
# The seam with the pipeline's canary (docs/TERRAFORM.md, "Who owns the running digest"):
# - The pipeline owns the running image digest and the track values (stable/canary digests, weights): it
#   records them in release.json and the audit trail and applies them with `helm upgrade` of one generated
#   values file on every canary step. Terraform does not drive releases.
# - Terraform owns that the release exists, from which chart and version, in which namespace, wired to which
#   database and secret store. TerraformPlan passes the digest release.json declares stable and the values
#   file generated from it, so Terraform's declaration is the pipeline's and an apply from clean reinstalls
#   exactly what was last promoted.
# - Drift: the pipeline's own helm upgrades change this release's revision and values; the refresh-only
#   drift plan discounts exactly those (Pipeline.Terraform.TerraformDrift) because DriftCheck compares the
#   release's live values, manifest, pod digests and route weights with release.json itself — which also
#   catches `kubectl set image`, a hand-run `helm upgrade` or a `helm rollback` (the Helm provider cannot).

resource "helm_release" "app" {
  name      = var.release_name
  namespace = kubernetes_namespace_v1.app.metadata[0].name
  chart     = var.app_chart_path
  version   = var.app_chart_version

  # The environment's values as the pipeline generated them (build/environments/<env>.yaml + release.json) ...
  values = [file(var.values_file)]
  # ... and, explicitly, the digest and the wiring this module owns: the Gateway (platform.tf) and the database
  # with its password source (database.tf). Keys are the chart's (charts/orders/values.yaml, CHART-CONTRACT.md).
  set = [
    { name = "image.repository", value = var.image_repository },
    { name = "stable.digest", value = var.image_digest },
    { name = "route.gateway.name", value = "orders-gateway" },
    { name = "route.gateway.namespace", value = kubernetes_namespace_v1.gateway.metadata[0].name },
    { name = "database.host", value = local.database_host },
    { name = "database.name", value = var.database_name },
    { name = "database.user", value = local.database_user },
    { name = "database.password.existingSecret", value = local.managed ? "" : local.database_password_source.ref },
    { name = "database.password.externalSecret.enabled", value = local.managed ? "true" : "false" },
    { name = "database.password.externalSecret.secretStoreRef.name", value = "aws-secrets-manager" },
    { name = "database.password.externalSecret.remoteRef.key", value = local.managed ? local.database_password_source.ref : "" },
    { name = "database.password.externalSecret.remoteRef.property", value = "password" },
  ]

  wait        = true
  timeout     = 900
  max_history = 20

  lifecycle {
    precondition {
      condition     = yamldecode(file("${var.app_chart_path}/Chart.yaml")).version == var.app_chart_version
      error_message = "charts/orders/Chart.yaml is not version ${var.app_chart_version}: bump app_chart_version with the chart."
    }
  }

  depends_on = [
    kubectl_manifest.gateway,
    helm_release.kube_prometheus_stack,
    kubectl_manifest.secret_store,
    aws_db_instance.orders,
    kubectl_manifest.cnpg_cluster,
  ]
}
