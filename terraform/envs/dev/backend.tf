# State of dev only, in its own bucket (prod's in its own account): a dev apply can never touch prod's
# state. S3 native locking (use_lockfile, Terraform >= 1.10) stops two applies interleaving.
terraform {
  backend "s3" {
    bucket       = "orders-tfstate-dev"
    key          = "orders/dev/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
