# One-off work in production, run after a deploy whose image carries new migrations:
#   gcloud run jobs execute <name_prefix>-bootstrap --region <region> --wait
# It applies the schema migrations and creates the first admin (password in Secret Manager,
# secret <name_prefix>-admin-password); both steps change nothing when already done.
resource "google_service_account" "bootstrap" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-bootstrap"
  display_name = "Schema migrations and first admin"
  description  = "Runs the bootstrap Cloud Run job (alumusic db upgrade, first admin user)"

  depends_on = [google_project_service.required]
}

resource "google_project_iam_member" "bootstrap_cloudsql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = google_service_account.bootstrap.member
}

resource "google_secret_manager_secret_iam_member" "bootstrap_reads" {
  for_each = local.bootstrap_secrets

  project   = var.project_id
  secret_id = google_secret_manager_secret.app[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.bootstrap.member
}

resource "google_cloud_run_v2_job" "bootstrap" {
  project             = var.project_id
  name                = "${var.name_prefix}-bootstrap"
  location            = var.region
  labels              = local.labels
  deletion_protection = var.deletion_protection

  template {
    task_count = 1

    template {
      service_account = google_service_account.bootstrap.email
      max_retries     = 1
      timeout         = "600s"

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.main.id
          subnetwork = google_compute_subnetwork.functions.id
        }
      }

      containers {
        # Every function image carries the `alumusic` command line and the migrations.
        image   = local.images[var.bootstrap_image_function]
        command = ["sh", "-c"]
        args = [
          "alumusic db upgrade && printf '%s\\n' \"$ADMIN_PASSWORD\" | alumusic user create ${var.admin_username} --role admin --password-stdin --exist-ok",
        ]

        resources {
          limits = {
            cpu    = "1"
            memory = "1Gi"
          }
        }

        env {
          name  = "ENVIRONMENT"
          value = var.environment
        }

        env {
          name  = "LOG_LEVEL"
          value = var.log_level
        }

        dynamic "env" {
          for_each = local.bootstrap_secrets
          content {
            name = local.secret_env[env.value]
            value_source {
              secret_key_ref {
                secret  = google_secret_manager_secret.app[env.value].secret_id
                version = "latest"
              }
            }
          }
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.bootstrap_reads,
    google_secret_manager_secret_version.app,
    google_project_iam_member.bootstrap_cloudsql_client,
    google_sql_database.app,
    google_sql_user.app,
  ]
}
