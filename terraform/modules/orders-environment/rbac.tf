# What the release pipeline's identity may do in the app's namespace, and nothing beyond it: a namespaced Role
# bound to the subjects var.pipeline_subjects names (no identity is hard-coded here). Two parts:
# - the release records (build/Build/Kubernetes/State, docs/KUBERNETES.md): release.json and the audit trail as
#   ConfigMaps (get, list by label, create, replace = update, delete = the audit retention's prune) and the
#   environment lock as a coordination.k8s.io Lease (get, create, replace = update). A test derives these verbs
#   from the kubectl commands the record code actually sends (PipelineRoleTests).
# - what `helm upgrade --install` / `helm test` of charts/orders does in the namespace: every kind its templates
#   render (Deployments, Services, Job, PodDisruptionBudget, HPA, NetworkPolicies, PodMonitor, ExternalSecret,
#   HTTPRoute, the test Pod), helm's release records (Secrets sh.helm.release.v1.*), and what the pipeline reads
#   while it waits (pods, their logs and events). The chart renders no ServiceAccount (pods run without a token)
#   and no ConfigMap. Its ValidatingAdmissionPolicy and binding are cluster-scoped: a Role cannot grant them
#   (docs/KUBERNETES.md, "Known limits of the chart").
# The chart's admission policy still decides which of these writes the pipeline alone may make.

locals {
  # helm creates, patches (three-way merge), replaces and deletes what it renders, and watches hooks (--wait=hookOnly).
  helm_verbs = ["get", "list", "watch", "create", "update", "patch", "delete"]
  # What helm manages with helm_verbs, per API group: every namespaced kind charts/orders/templates renders, and
  # helm's release storage (Secrets sh.helm.release.v1.<release>.v<n>, --history-max 20).
  helm_resources = [
    { api_group = "", resources = ["secrets", "services"] },
    { api_group = "apps", resources = ["deployments"] },
    { api_group = "batch", resources = ["jobs"] }, # the migration hook Job (pre-install/pre-upgrade)
    { api_group = "policy", resources = ["poddisruptionbudgets"] },
    { api_group = "autoscaling", resources = ["horizontalpodautoscalers"] },
    { api_group = "networking.k8s.io", resources = ["networkpolicies"] },
    { api_group = "monitoring.coreos.com", resources = ["podmonitors"] },
    { api_group = "external-secrets.io", resources = ["externalsecrets"] },
    { api_group = "gateway.networking.k8s.io", resources = ["httproutes"] }, # the release's route: weights on every canary step
  ]
}

resource "kubernetes_role_v1" "pipeline" {
  metadata {
    name      = "${var.release_name}-release-pipeline"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }

  # The release records: release.json, the audit trail (with its retention) ...
  rule {
    api_groups = [""]
    resources  = ["configmaps"]
    verbs      = ["get", "list", "create", "update", "delete"]
  }
  # ... and the environment lock (taken, renewed and released by replace; never deleted).
  rule {
    api_groups = ["coordination.k8s.io"]
    resources  = ["leases"]
    verbs      = ["get", "create", "update"]
  }
  # helm test's Pod (created and deleted by helm), the pods the pipeline polls for readiness and digests.
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["get", "list", "watch", "create", "delete"]
  }
  # Why a track never became ready: its containers' last lines and the pods' events.
  rule {
    api_groups = [""]
    resources  = ["pods/log", "events"]
    verbs      = ["get", "list"]
  }
  # What helm upgrade --install of the chart manages, one rule per API group.
  dynamic "rule" {
    for_each = local.helm_resources
    content {
      api_groups = [rule.value.api_group]
      resources  = rule.value.resources
      verbs      = local.helm_verbs
    }
  }
}

resource "kubernetes_role_binding_v1" "pipeline" {
  metadata {
    name      = "${var.release_name}-release-pipeline"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
    labels    = local.labels
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.pipeline.metadata[0].name
  }
  dynamic "subject" {
    for_each = var.pipeline_subjects
    content {
      kind      = subject.value.kind
      name      = subject.value.name
      namespace = subject.value.kind == "ServiceAccount" ? subject.value.namespace : null
      api_group = subject.value.kind == "ServiceAccount" ? "" : "rbac.authorization.k8s.io"
    }
  }
}
