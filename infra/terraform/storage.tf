# The buckets of infra/stack.json (locally LocalStack or moto S3).
resource "google_storage_bucket" "stack" {
  for_each = local.buckets

  # Bucket names are global: the project id keeps stack.json's local name unique.
  project                     = var.project_id
  name                        = "${var.project_id}-${each.value}"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  versioning {
    enabled = true
  }

  depends_on = [google_project_service.required]
}
