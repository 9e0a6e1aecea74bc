# Providers pinned with bounds: a minor upgrade is taken deliberately (the lock file records exact hashes),
# a major one (breaking schema changes, e.g. helm 2 -> 3 changed `set` blocks into a list) never silently.
terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.36.0, < 3.0.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0.2, < 4.0.0"
    }
    # kubectl_manifest applies custom resources (Gateway, ClusterSecretStore, CNPG Cluster) whose CRDs are
    # installed by a helm_release in the same apply; kubernetes_manifest needs the CRDs at plan time, which
    # would make "apply from clean" a two-step manual job.
    kubectl = {
      source  = "alekc/kubectl"
      version = ">= 2.1.3, < 3.0.0"
    }
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70.0, < 7.0.0"
    }
  }
}
