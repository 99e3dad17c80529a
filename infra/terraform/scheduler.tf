# One Cloud Scheduler job per job of infra/stack.json, publishing to the job's topic in the job's
# time zone (Cloud Scheduler follows daylight-saving changes there, as the local scheduler does).
#
# A tick's contract (shared/schedule.py): data is the JSON object {"job": ..., ...body} and the
# attribute `job` names the job. The run's scheduled time is its idempotency key (Cloud Scheduler
# delivers at least once), but Cloud Scheduler does not put the scheduled time in the Pub/Sub
# message (its data and attributes are fixed when the job is created), so the consumer falls back
# to the message's publish time floored to the minute, as parse_tick does; the local scheduler
# sends `scheduled_time` in both data and attributes.
resource "google_cloud_scheduler_job" "job" {
  for_each = local.jobs

  project     = var.project_id
  region      = var.region
  name        = each.key
  description = "Publishes a ${each.key} tick to ${each.value.topic} on '${each.value.schedule}' (${each.value.time_zone})"
  schedule    = each.value.schedule
  time_zone   = each.value.time_zone

  # A failed publish is retried a few times; a run still missing after that waits for the next one.
  retry_config {
    retry_count          = 3
    min_backoff_duration = "5s"
    max_backoff_duration = "60s"
  }

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    data       = base64encode(jsonencode(merge(try(each.value.body, {}), { job = each.key })))
    attributes = {
      job = each.key
    }
  }

  depends_on = [google_project_service.required]
}
