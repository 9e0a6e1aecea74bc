output "namespace" {
  description = "Namespace the app runs in."
  value       = kubernetes_namespace_v1.app.metadata[0].name
}

output "gateway" {
  description = "Gateway (namespace/name) the app's HTTPRoute attaches to."
  value       = "${kubernetes_namespace_v1.gateway.metadata[0].name}/orders-gateway"
}

output "prometheus_url" {
  description = "In-cluster Prometheus URL; must equal kubernetes.prometheusUrl in build/environments/<env>.yaml."
  value       = "http://prometheus-operated.monitoring.svc:9090"
}

output "database_host" {
  description = "PostgreSQL host the app connects to."
  value       = local.database_host
}

output "database_password_source" {
  description = "Where the database password lives (a reference, never the password)."
  value       = local.database_password_source
}

output "app_release" {
  description = "Helm release of the app and the digest Terraform last declared for its stable track."
  value       = { name = helm_release.app.name, chart_version = helm_release.app.version, image_digest = var.image_digest }
}
