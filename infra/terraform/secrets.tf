# Generated once and kept in Secret Manager; Cloud Run reads the latest version into the
# environment when an instance starts. The database password lives inside DATABASE_URL (the one
# setting the library reads to connect); the generated password is letters and digits only, so
# it needs no escaping there. Rotating: `terraform apply -replace=random_password.<name>`, which
# writes a new version (and for the database changes the user's password), then deploy a new
# revision so instances read it.
resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "random_password" "admin" {
  length  = 24
  special = false
}

locals {
  secret_values = {
    "jwt-secret" = random_password.jwt.result
    # pg8000 over the VPC to Cloud SQL's private address.
    "database-url"   = "postgresql+pg8000://${google_sql_user.app.name}:${random_password.db.result}@${google_sql_database_instance.main.private_ip_address}:5432/${google_sql_database.app.name}"
    "admin-password" = random_password.admin.result
    # Cloud Storage HMAC secret of the storage identity (storage.tf).
    "storage-hmac-secret" = google_storage_hmac_key.storage.secret
    # Issued by SendGrid, not generated here: given once as a sensitive variable.
    "sendgrid-api-key" = var.sendgrid_api_key
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
