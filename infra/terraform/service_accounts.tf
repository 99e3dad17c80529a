# One identity per function, holding only what that function does. Service account ids are at
# most 30 characters: "<prefix>-<function>" must fit (classify-consumer with the default prefix does).
resource "google_service_account" "function" {
  for_each = local.functions

  project      = var.project_id
  account_id   = substr("${var.name_prefix}-${each.key}", 0, 30)
  display_name = "${each.key} function"
  description  = "Runs the ${each.key} Cloud Run service (target ${each.value.target})"

  depends_on = [google_project_service.required]
}

# Connecting over the private IP needs no Cloud SQL Admin API call, but cloudsql.client keeps the
# door open for IAM database authentication and the Cloud SQL connector without another change.
resource "google_project_iam_member" "function_cloudsql_client" {
  for_each = local.functions

  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = google_service_account.function[each.key].member
}

resource "google_pubsub_topic_iam_member" "function_publishes" {
  for_each = local.function_topic_publishers

  project = var.project_id
  topic   = google_pubsub_topic.topic[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.function[each.value.function].member
}

# The identity Pub/Sub signs push requests as (OIDC); it may only invoke push targets.
resource "google_service_account" "pubsub_invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-pubsub-push"
  display_name = "Pub/Sub push invoker"
  description  = "Identity in the OIDC token of Pub/Sub push deliveries to Cloud Run"

  depends_on = [google_project_service.required]
}

resource "google_cloud_run_v2_service_iam_member" "pubsub_invokes" {
  for_each = local.push_targets

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.function[each.value].name
  role     = "roles/run.invoker"
  member   = google_service_account.pubsub_invoker.member
}

# Pub/Sub's service agent (service-<project number>@gcp-sa-pubsub...), created now if the project
# has never used Pub/Sub, so the bindings below have someone to bind.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project = var.project_id
  service = "pubsub.googleapis.com"

  depends_on = [google_project_service.required]
}

locals {
  pubsub_service_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

# Pub/Sub mints the push OIDC tokens with its service agent acting as the invoker account.
resource "google_service_account_iam_member" "pubsub_agent_mints_invoker_tokens" {
  service_account_id = google_service_account.pubsub_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# Dead lettering: the service agent republishes a message that exhausted its delivery attempts
# to the dead-letter topic and acknowledges it on the source subscription.
resource "google_pubsub_topic_iam_member" "pubsub_agent_publishes_dead_letters" {
  for_each = local.dead_letter_topics

  project = var.project_id
  topic   = google_pubsub_topic.topic[each.value].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_acks_dead_lettered" {
  for_each = local.dead_lettered_subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.subscription[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# The gateway calls the public functions with its own identity (Cloud Run IAM, no public invoker).
resource "google_service_account" "gateway" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-gateway"
  display_name = "API Gateway backend caller"
  description  = "Identity API Gateway uses to invoke the public Cloud Run services"

  depends_on = [google_project_service.required]
}

resource "google_cloud_run_v2_service_iam_member" "gateway_invokes" {
  for_each = local.public_functions

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.function[each.key].name
  role     = "roles/run.invoker"
  member   = google_service_account.gateway.member
}
