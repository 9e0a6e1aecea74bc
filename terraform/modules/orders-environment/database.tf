# The database, per environment: "managed" (Amazon RDS PostgreSQL) or "in-cluster" (CloudNativePG).
# In neither mode does a password pass through Terraform variables, tfvars or this repository:
# RDS generates and rotates the master password in Secrets Manager (manage_master_user_password), and
# CloudNativePG generates the app user's password into a Secret of its own.

locals {
  managed = var.database_mode == "managed"
}

resource "aws_db_instance" "orders" {
  count = local.managed ? 1 : 0

  identifier                  = "orders-${var.environment}"
  engine                      = "postgres"
  engine_version              = "15"
  instance_class              = var.database_instance_class
  allocated_storage           = var.database_storage_gb
  db_name                     = var.database_name
  username                    = "orders_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  multi_az                    = var.database_multi_az
  db_subnet_group_name        = var.database_subnet_group_name
  vpc_security_group_ids      = var.database_security_group_ids
  backup_retention_period     = 7
  # A deleted production database is an outage no rollback fixes: deleting needs a deliberate change here.
  deletion_protection       = var.environment == "prod"
  skip_final_snapshot       = var.environment != "prod"
  final_snapshot_identifier = var.environment == "prod" ? "orders-${var.environment}-final" : null
  apply_immediately         = var.environment != "prod"
  tags                      = local.labels
}

resource "helm_release" "cnpg" {
  count = local.managed ? 0 : 1

  name             = "cnpg"
  namespace        = "cnpg-system"
  create_namespace = true
  repository       = "https://cloudnative-pg.github.io/charts"
  chart            = "cloudnative-pg"
  version          = var.cnpg_chart_version
  wait             = true
  timeout          = 600
}

resource "kubectl_manifest" "cnpg_cluster" {
  count = local.managed ? 0 : 1

  yaml_body = yamlencode({
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata   = { name = "orders-db", namespace = kubernetes_namespace_v1.app.metadata[0].name, labels = local.labels }
    spec = {
      instances = var.database_instances
      imageName = "ghcr.io/cloudnative-pg/postgresql:15"
      bootstrap = { initdb = { database = var.database_name, owner = "orders" } }
      storage   = { size = "${var.database_storage_gb}Gi" }
    }
  })
  depends_on = [helm_release.cnpg]
}

locals {
  database_host = local.managed ? aws_db_instance.orders[0].address : "orders-db-rw.${var.namespace}.svc"
  database_user = local.managed ? aws_db_instance.orders[0].username : "orders"
  # Where the password lives: the RDS-managed entry in Secrets Manager (copied by the chart's ExternalSecret) or the
  # Secret CloudNativePG created (mounted as an existing Secret). Either way the chart mounts it as a file.
  database_password_source = local.managed ? {
    kind = "external-secret"
    ref  = aws_db_instance.orders[0].master_user_secret[0].secret_arn
    } : {
    kind = "existing-secret"
    ref  = "orders-db-app"
  }
}
