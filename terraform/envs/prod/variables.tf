# Inputs the pipeline supplies on every plan (TerraformPlan writes them to
# artifacts/terraform/<env>/pipeline.tfvars.json from build/environments/<env>.yaml and release.json):
# nothing here is maintained twice.

variable "kube_context" {
  type        = string
  description = "kubeconfig context of the cluster (kubernetes.context in build/environments/<env>.yaml)."
}

variable "namespace" {
  type        = string
  description = "Namespace of the app (kubernetes.namespace)."
}

variable "release_name" {
  type        = string
  description = "Helm release name of the app (kubernetes.release)."
}

variable "app_chart_path" {
  type        = string
  description = "Absolute path of charts/orders (kubernetes.chart)."
}

variable "app_chart_version" {
  type        = string
  description = "charts/orders/Chart.yaml version the pipeline read."
}

variable "image_repository" {
  type        = string
  description = "image.registry/image.repository of the environment."
}

variable "image_digest" {
  type        = string
  description = "Digest release.json declares stable (the pipeline owns it)."
}

variable "values_file" {
  type        = string
  description = "Values file the pipeline generated for this environment."
}

# Infrastructure facts of this environment (terraform.tfvars), not in build/environments/<env>.yaml.

variable "aws_region" {
  type        = string
  description = "AWS region of the environment's Secrets Manager and database."
}

variable "gateway_hostname" {
  type        = string
  description = "Public host name of the environment's Gateway listener."
}

variable "external_secrets_role_arn" {
  type        = string
  description = "IAM role (IRSA) External Secrets Operator assumes to read this environment's secrets."
}

variable "pipeline_subjects" {
  type = list(object({
    kind      = string
    name      = string
    namespace = optional(string)
  }))
  description = "RBAC subjects the release pipeline runs as in this environment (the identities of kubernetes.pipelineUsers in build/environments/<env>.yaml)."
}
