# staging: a thin call of the one module; everything specific to staging is a value here or in terraform.tfvars.

provider "kubernetes" {
  config_path    = "~/.kube/config"
  config_context = var.kube_context
}

provider "helm" {
  kubernetes = {
    config_path    = "~/.kube/config"
    config_context = var.kube_context
  }
}

provider "kubectl" {
  config_path      = "~/.kube/config"
  config_context   = var.kube_context
  load_config_file = true
}

provider "aws" {
  region = var.aws_region
}

module "orders" {
  source = "../../modules/orders-environment"

  environment  = "staging"
  namespace    = var.namespace
  release_name = var.release_name

  app_chart_path    = var.app_chart_path
  app_chart_version = var.app_chart_version
  image_repository  = var.image_repository
  image_digest      = var.image_digest
  values_file       = var.values_file

  gateway_hostname          = var.gateway_hostname
  aws_region                = var.aws_region
  external_secrets_role_arn = var.external_secrets_role_arn
  pipeline_subjects         = var.pipeline_subjects

  database_mode = "in-cluster"
  database_instances = 2
}

output "orders" {
  description = "What the module created (namespace, gateway, Prometheus URL, database host and password source)."
  value       = module.orders
}
