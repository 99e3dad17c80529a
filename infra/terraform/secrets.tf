# Generated once and kept in Secret Manager; Cloud Run reads the latest version into the
# environment when an instance starts. The database password lives inside DATABASE_URL (the one
# setting the library reads to connect); the generated password is letters and digits only, so
# it needs no escaping there. Rotating a password: `terraform apply -replace=random_password.<name>`, which
# writes a new version (and for the database changes the user's password), then deploy a new
# revision so instances read it.
# Token signing keys, one Ed25519 pair per id in var.jwt_key_ids (see infra/README.md, "Rotating
# the token keys"): the last id's private key signs new tokens and only the issuing function
# (settings group "issuer") reads it; every id's public key verifies, read by the functions of
# group "auth".
resource "tls_private_key" "jwt" {
  for_each  = toset(var.jwt_key_ids)
  algorithm = "ED25519"
}

# Signs the comment list's cursors (HMAC); nothing to do with tokens.
resource "random_password" "cursor" {
  length  = 64
  special = false
}

resource "random_password" "admin" {
  length  = 24
  special = false
}

locals {
  secret_values = {
    "jwt-private-keys" = jsonencode({
      (local.jwt_signing_kid) = tls_private_key.jwt[local.jwt_signing_kid].private_key_pem_pkcs8
    })
    "jwt-public-keys" = jsonencode({ for kid in var.jwt_key_ids : kid => tls_private_key.jwt[kid].public_key_pem })
    "cursor-secret"   = random_password.cursor.result
    # psycopg over the VPC to Cloud SQL's private address, encrypted (the instance refuses plain
    # connections: ssl_mode ENCRYPTED_ONLY in database.tf).
    "database-url"   = "postgresql+psycopg://${google_sql_user.app.name}:${random_password.db.result}@${google_sql_database_instance.main.private_ip_address}:5432/${google_sql_database.app.name}?sslmode=require"
    "admin-password" = random_password.admin.result
    # Cloud Storage HMAC secret of the storage identity (storage.tf).
    "storage-hmac-secret" = google_storage_hmac_key.storage.secret
    # Issued by SendGrid, not generated here: given once as a sensitive variable.
    "sendgrid-api-key" = var.sendgrid_api_key
    # Secret Manager refuses an empty version: a lone comma lists no webhook.
    "alerts-webhook-urls" = var.alerts_webhook_urls != "" ? var.alerts_webhook_urls : ","
  }
}

resource "google_secret_manager_secret" "app" {
  for_each = local.secret_env

  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.key}"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "app" {
  for_each = local.secret_env

  secret      = google_secret_manager_secret.app[each.key].id
  secret_data = local.secret_values[each.key]
}

resource "google_secret_manager_secret_iam_member" "function_reads" {
  for_each = local.function_secret_readers

  project   = var.project_id
  secret_id = google_secret_manager_secret.app[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function[each.value.function].member
}
