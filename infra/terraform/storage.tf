# The buckets of infra/stack.json (locally LocalStack or moto S3).
resource "google_storage_bucket" "stack" {
  #checkov:skip=CKV_GCP_62:the buckets hold only the chart snapshots the functions write and read with their own service accounts; Cloud Audit Logs record admin access, and a log bucket would need the same skip
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
