# The platform the app relies on, one helm_release per piece, chart versions pinned exactly:
# a Gateway API implementation and its Gateway (the canary's weighted HTTPRoute attaches to it),
# Prometheus (the canary gate's data), and External Secrets Operator with its store (the DB password).

resource "helm_release" "envoy_gateway" {
  name             = "envoy-gateway"
  namespace        = "envoy-gateway-system"
  create_namespace = true
  repository       = "oci://docker.io/envoyproxy"
  chart            = "gateway-helm"
  version          = var.gateway_chart_version
  wait             = true
  timeout          = 600
}

resource "kubernetes_namespace_v1" "gateway" {
  metadata {
    name   = "gateway-system"
    labels = local.labels
  }
}

resource "kubectl_manifest" "gateway_class" {
  yaml_body = yamlencode({
    apiVersion = "gateway.networking.k8s.io/v1"
    kind       = "GatewayClass"
    metadata   = { name = "envoy" }
    spec       = { controllerName = "gateway.envoyproxy.io/gatewayclass-controller" }
  })
  depends_on = [helm_release.envoy_gateway]
}

# The Gateway admits routes only from namespaces labelled for it: another team's HTTPRoute cannot
# capture the orders host name.
resource "kubectl_manifest" "gateway" {
  yaml_body = yamlencode({
    apiVersion = "gateway.networking.k8s.io/v1"
    kind       = "Gateway"
    metadata   = { name = "orders-gateway", namespace = kubernetes_namespace_v1.gateway.metadata[0].name, labels = local.labels }
    spec = {
      gatewayClassName = "envoy"
      listeners = [{
        name     = "https"
        protocol = "HTTPS"
        port     = 443
        hostname = var.gateway_hostname
        tls      = { mode = "Terminate", certificateRefs = [{ kind = "Secret", name = var.gateway_tls_secret_name }] }
        allowedRoutes = {
          namespaces = {
            from     = "Selector"
            selector = { matchLabels = { (local.gateway_access_label) = "true" } }
          }
        }
      }]
    }
  })
  depends_on = [kubectl_manifest.gateway_class]
}

resource "helm_release" "kube_prometheus_stack" {
  name             = "kube-prometheus-stack"
  namespace        = "monitoring"
  create_namespace = true
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = var.kube_prometheus_stack_chart_version
  wait             = true
  timeout          = 900
  values = [yamlencode({
    prometheus = {
      # Service prometheus-operated.monitoring.svc:9090 is kubernetes.prometheusUrl in build/environments/<env>.yaml.
      prometheusSpec = {
        retention = var.prometheus_retention
        # Select the app's PodMonitor in any namespace (the chart ships one with a `track` label).
        podMonitorSelectorNilUsesHelmValues = false
        podMonitorNamespaceSelector         = {}
      }
    }
  })]
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  namespace        = "external-secrets"
  create_namespace = true
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.external_secrets_chart_version
  wait             = true
  timeout          = 600
  values = [yamlencode({
    installCRDs = true
    # IRSA: the operator reads Secrets Manager with a short-lived web identity token, never a stored key.
    serviceAccount = { annotations = { "eks.amazonaws.com/role-arn" = var.external_secrets_role_arn } }
  })]
}

# The store the app's ExternalSecret (rendered by charts/orders) reads from. Secrets Manager encrypts with
# KMS at rest; the cluster's own Secret copy is encrypted at rest by the API server's KMS provider.
resource "kubectl_manifest" "secret_store" {
  yaml_body = yamlencode({
    apiVersion = "external-secrets.io/v1"
    kind       = "ClusterSecretStore"
    metadata   = { name = "aws-secrets-manager", labels = local.labels }
    spec = {
      provider = { aws = { service = "SecretsManager", region = var.aws_region } }
      conditions = [{ namespaces = [var.namespace] }]
    }
  })
  depends_on = [helm_release.external_secrets]
}
