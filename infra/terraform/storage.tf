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

  # Chart snapshots: one object per minute (charts/<time>.json) and a `latest` rewritten as often.
  lifecycle_rule {
    condition {
      age            = var.chart_snapshot_object_days
      matches_prefix = ["charts/2"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.chart_snapshot_object_days
      matches_prefix             = ["charts/"]
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.required]
}

# The library reaches the bucket through the S3 API (boto3), which Cloud Storage serves as its
# XML API with HMAC keys. HMAC keys belong to a service account, so the functions that use the
# bucket share this identity's key (access id in plain env, secret in Secret Manager), and this
# identity may only use objects of the stack's buckets.
resource "google_service_account" "storage" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-storage"
  display_name = "Bucket access through the S3-compatible API"
  description  = "Owner of the HMAC key the functions use for the stack's buckets"

  depends_on = [google_project_service.required]
}

resource "google_storage_hmac_key" "storage" {
  project               = var.project_id
  service_account_email = google_service_account.storage.email
}

resource "google_storage_bucket_iam_member" "storage_uses_objects" {
  for_each = local.buckets

  bucket = google_storage_bucket.stack[each.value].name
  role   = "roles/storage.objectUser"
  member = google_service_account.storage.member
}
