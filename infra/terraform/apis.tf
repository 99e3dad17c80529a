locals {
  required_apis = toset([
    "apigateway.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicecontrol.googleapis.com",
    "servicemanagement.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
  ])
}

resource "google_project_service" "required" {
  for_each = local.required_apis

  project = var.project_id
  service = each.value
  # Turning an API off on destroy would break anything else in the project that uses it.
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:the images hold only the product's code and public packages, no data; Google-managed encryption at rest is enough
  project       = var.project_id
  location      = var.region
  repository_id = var.name_prefix
  description   = "Function container images (one per function source folder)"
  format        = "DOCKER"
  labels        = local.labels

  depends_on = [google_project_service.required]
}
