# Generated once and kept in Secret Manager; Cloud Run reads the latest version into the
# environment at instance start. Rotating: add a new version (and for the database, change the
# user's password), then deploy a new revision.
resource "random_password" "jwt" {
  length  = 64
  special = false
}

locals {
  secret_values = {
    "jwt-secret"  = random_password.jwt.result
    "db-password" = random_password.db.result
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
