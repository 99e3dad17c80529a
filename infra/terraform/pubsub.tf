resource "google_pubsub_topic" "topic" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption at rest; messages are short-lived comments also stored in Cloud SQL, and a customer-managed key would add a KMS key ring whose loss loses the queue
  for_each = local.topics

  project = var.project_id
  name    = each.key
  labels  = local.labels
  # Undelivered messages survive a consumer outage of up to a week.
  message_retention_duration = try(each.value.message_retention_duration, "604800s")

  depends_on = [google_project_service.required]
}

resource "google_pubsub_subscription" "subscription" {
  for_each = local.subscriptions

  project                    = var.project_id
  name                       = each.key
  topic                      = google_pubsub_topic.topic[each.value.topic].id
  labels                     = local.labels
  ack_deadline_seconds       = try(each.value.ack_deadline_seconds, 10)
  message_retention_duration = try(each.value.message_retention_duration, "604800s")
  retain_acked_messages      = false

  # Never garbage-collect a subscription that is idle for a while (e.g. the dead-letter one).
  expiration_policy {
    ttl = ""
  }

  dynamic "push_config" {
    for_each = try(each.value.push_to, null) != null ? [each.value.push_to] : []
    content {
      # The topic path in the endpoint path gives the CloudEvent a full `source`, as on the emulator.
      push_endpoint = "${google_cloud_run_v2_service.function[push_config.value].uri}/projects/${var.project_id}/topics/${each.value.topic}"

      oidc_token {
        service_account_email = google_service_account.pubsub_invoker.email
        audience              = google_cloud_run_v2_service.function[push_config.value].uri
      }
    }
  }

  dynamic "retry_policy" {
    for_each = try(each.value.min_retry_backoff, null) != null || try(each.value.max_retry_backoff, null) != null ? [1] : []
    content {
      minimum_backoff = try(each.value.min_retry_backoff, "10s")
      maximum_backoff = try(each.value.max_retry_backoff, "600s")
    }
  }

  dynamic "dead_letter_policy" {
    for_each = try(each.value.dead_letter_topic, null) != null ? [each.value.dead_letter_topic] : []
    content {
      dead_letter_topic     = google_pubsub_topic.topic[dead_letter_policy.value].id
      max_delivery_attempts = try(each.value.max_delivery_attempts, 5)
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.pubsub_invokes]
}
