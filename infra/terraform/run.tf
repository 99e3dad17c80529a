# One Cloud Run service per function of infra/stack.json, from its source folder's image.
resource "google_cloud_run_v2_service" "function" {
  for_each = local.functions

  project             = var.project_id
  name                = each.key
  location            = var.region
  labels              = local.labels
  deletion_protection = var.deletion_protection
  # Public functions are reached through the gateway (which authenticates with IAM); the others
  # only from inside the project (Pub/Sub push counts as internal).
  ingress = try(each.value.public, false) ? "INGRESS_TRAFFIC_ALL" : "INGRESS_TRAFFIC_INTERNAL_ONLY"

  template {
    service_account                  = google_service_account.function[each.key].email
    max_instance_request_concurrency = local.scaling[each.key].concurrency
    timeout                          = "${local.scaling[each.key].timeout_seconds}s"
    labels                           = local.labels

    scaling {
      min_instance_count = local.scaling[each.key].min_instances
      max_instance_count = local.scaling[each.key].max_instances
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.main.id
        subnetwork = google_compute_subnetwork.functions.id
      }
    }

    containers {
      image = local.images[each.key]

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = local.scaling[each.key].cpu
          memory = local.scaling[each.key].memory
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = local.function_env[each.key]
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = local.function_secrets[each.key]
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

      startup_probe {
        tcp_socket {
          port = 8080
        }
        initial_delay_seconds = 0
        period_seconds        = 2
        failure_threshold     = 30
        timeout_seconds       = 1
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  depends_on = [
    google_project_service.required,
    google_secret_manager_secret_iam_member.function_reads,
    google_secret_manager_secret_version.app,
    google_project_iam_member.function_cloudsql_client,
  ]
}
