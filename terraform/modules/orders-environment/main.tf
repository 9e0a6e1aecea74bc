# One environment of the orders service: its namespace, the platform it relies on (platform.tf), its
# database (database.tf) and the app's Helm release (app.tf). An apply from clean recreates all of it;
# the only input that changes with every release is the image digest, owned by the pipeline (see app.tf).

locals {
  labels = {
    "app.kubernetes.io/part-of"    = "orders"
    "app.kubernetes.io/managed-by" = "terraform"
    "orders.internal/environment"  = var.environment
  }
  # Namespaces whose HTTPRoutes the shared Gateway accepts carry this label (see platform.tf).
  gateway_access_label = "orders.internal/gateway-access"
}

resource "kubernetes_namespace_v1" "app" {
  metadata {
    name = var.namespace
    labels = merge(local.labels, {
      # Pod Security admission: the chart's pods run as non-root with a read-only root filesystem and no
      # capabilities; "restricted" makes a pod that does not refused at admission instead of running.
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
      (local.gateway_access_label)         = "true"
    })
  }
}
