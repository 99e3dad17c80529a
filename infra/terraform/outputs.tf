output "gateway_url" {
  description = "The one public base URL of the API (API Gateway)."
  value       = "https://${google_api_gateway_gateway.api.default_hostname}"
}

output "service_urls" {
  description = "Cloud Run URL of each function (not public: IAM-authenticated, reached through the gateway or Pub/Sub push)."
  value       = { for name, service in google_cloud_run_v2_service.function : name => service.uri }
}

output "images" {
  description = "Container image each function runs."
  value       = local.images
}

output "image_registry" {
  description = "Where to push the function images (docker push <image_registry>/<source folder>:<tag>)."
  value       = local.image_registry
}

output "topics" {
  description = "Pub/Sub topic ids, by name from infra/stack.json."
  value       = { for name, topic in google_pubsub_topic.topic : name => topic.id }
}

output "subscriptions" {
  description = "Pub/Sub subscription ids, by name from infra/stack.json."
  value       = { for name, subscription in google_pubsub_subscription.subscription : name => subscription.id }
}

output "database_instance" {
  description = "Cloud SQL connection name (project:region:instance) and private address."
  value = {
    connection_name = google_sql_database_instance.main.connection_name
    private_ip      = google_sql_database_instance.main.private_ip_address
    database        = google_sql_database.app.name
    user            = google_sql_user.app.name
  }
}

output "secrets" {
  description = "Secret Manager secret ids, by purpose."
  value       = { for name, secret in google_secret_manager_secret.app : name => secret.id }
}

output "service_accounts" {
  description = "Service account of each function, of the Pub/Sub push invoker and of the gateway."
  value = merge(
    { for name, account in google_service_account.function : name => account.email },
    {
      pubsub-push = google_service_account.pubsub_invoker.email
      gateway     = google_service_account.gateway.email
      bootstrap   = google_service_account.bootstrap.email
    },
  )
}

output "buckets" {
  description = "Cloud Storage bucket of each bucket named in infra/stack.json."
  value       = { for name, bucket in google_storage_bucket.stack : name => bucket.name }
}

output "bootstrap_job" {
  description = "Cloud Run job that applies migrations and creates the first admin: gcloud run jobs execute <name> --region <region> --wait."
  value       = google_cloud_run_v2_job.bootstrap.name
}
