# One public base URL: API Gateway routes each documented operation to the Cloud Run service the
# OpenAPI document names for it (backends["<function name>"]), calling it with the gateway's own
# identity. The function's route table declares the same operations (tests/unit/test_routes.py).
locals {
  gateway_region = var.gateway_region != "" ? var.gateway_region : var.region

  gateway_backends = {
    for name, f in local.public_functions : name => google_cloud_run_v2_service.function[name].uri
  }

  openapi_document = templatefile("${path.module}/openapi.yaml.tftpl", {
    title           = "${var.name_prefix} feedback API"
    backends        = local.gateway_backends
    deadline        = "60.0"
    export_deadline = "300.0"
  })
}

resource "google_api_gateway_api" "api" {
  provider = google-beta

  project      = var.project_id
  api_id       = var.name_prefix
  display_name = "${var.name_prefix} feedback API"
  labels       = local.labels

  depends_on = [google_project_service.required]
}

resource "google_api_gateway_api_config" "api" {
  provider = google-beta

  project = var.project_id
  api     = google_api_gateway_api.api.api_id
  # A config is immutable: a changed document creates a new one before the old one goes.
  api_config_id_prefix = "${var.name_prefix}-"
  labels               = local.labels

  openapi_documents {
    document {
      path     = "openapi.yaml"
      contents = base64encode(local.openapi_document)
    }
  }

  gateway_config {
    backend_config {
      google_service_account = google_service_account.gateway.email
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_api_gateway_gateway" "api" {
  provider = google-beta

  project      = var.project_id
  region       = local.gateway_region
  gateway_id   = var.name_prefix
  display_name = "${var.name_prefix} feedback gateway"
  api_config   = google_api_gateway_api_config.api.id
  labels       = local.labels

  depends_on = [google_cloud_run_v2_service_iam_member.gateway_invokes]
}
