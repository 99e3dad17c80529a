# infra/stack.json is the one description of the functions, topics, subscriptions, buckets and
# scheduled jobs; the local stack (`alumusic dev bootstrap`, `alumusic schedule serve`) reads the
# same file and docker-compose.yml is written from it (`alumusic dev compose --write`), so a topic
# or job added there appears here on the next plan without touching this configuration.
locals {
  stack = jsondecode(file("${path.module}/../stack.json"))

  functions     = { for f in local.stack.functions : f.name => f }
  topics        = { for t in local.stack.topics : t.name => t }
  subscriptions = { for s in local.stack.subscriptions : s.name => s }
  buckets       = toset(try(local.stack.buckets, []))
  jobs          = { for j in try(local.stack.jobs, []) : j.name => j }

  push_subscriptions = {
    for name, s in local.subscriptions : name => s if try(s.push_to, null) != null
  }
  dead_lettered_subscriptions = {
    for name, s in local.subscriptions : name => s if try(s.dead_letter_topic, null) != null
  }
  dead_letter_topics = toset([for s in values(local.dead_lettered_subscriptions) : s.dead_letter_topic])

  # Functions the Pub/Sub invoker account must be allowed to call.
  push_targets = toset([for s in values(local.push_subscriptions) : s.push_to])

  # Functions reached through API Gateway; the OpenAPI document names, per operation, which of
  # them serves it (backends["<function name>"]).
  public_functions = { for name, f in local.functions : name => f if try(f.public, false) }

  # One image per function source folder: classify-api and classify-consumer run the same image
  # and differ only in FUNCTION_TARGET.
  image_registry = (
    var.image_registry != ""
    ? trimsuffix(var.image_registry, "/")
    : "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
  )
  image_separator = startswith(var.image_tag, "@") ? "" : ":"
  images = {
    for name, f in local.functions :
    name => "${local.image_registry}/${basename(f.source)}${local.image_separator}${var.image_tag}"
  }

  # default_scaling, overridden by the attributes set in function_scaling[name] (if any).
  scaling = {
    for name, f in local.functions : name => merge(
      var.default_scaling,
      [for n, o in var.function_scaling : { for k, v in o : k => v if v != null } if n == name]...
    )
  }

  publishes = {
    for name, f in local.functions : name => toset(try(f.publishes, lookup(var.function_publishes, name, [])))
  }
  function_topic_publishers = merge([
    for name, topics in local.publishes : { for t in topics : "${name}/${t}" => { function = name, topic = t } }
  ]...)

  # Secret Manager secret -> the environment variable Cloud Run fills from its latest version.
  secret_env = {
    "jwt-private-keys"    = "JWT_PRIVATE_KEYS"
    "jwt-public-keys"     = "JWT_PUBLIC_KEYS"
    "cursor-secret"       = "CURSOR_SECRET"
    "database-url"        = "DATABASE_URL"
    "admin-password"      = "ADMIN_PASSWORD"
    "storage-hmac-secret" = "AWS_SECRET_ACCESS_KEY"
    "sendgrid-api-key"    = "SENDGRID_API_KEY"
    "alerts-webhook-urls" = "ALERTS_WEBHOOK_URLS"
  }
  # The bootstrap job migrates and creates the first admin: it reads no token key.
  bootstrap_secrets = toset(["database-url", "admin-password"])
  # The key that signs new tokens: the last of var.jwt_key_ids.
  jwt_signing_kid = var.jwt_key_ids[length(var.jwt_key_ids) - 1]
  # Settings groups of shared/config.py -> the secrets holding their secret settings. A function
  # reads the secrets of the groups it declares in stack.json ("settings"), and only those: only
  # the issuer (group "issuer": classify-api) holds the private key; the verifiers (group "auth")
  # hold public keys; the consumer, which declares neither, holds no key at all.
  group_secrets = {
    database = ["database-url"]
    auth     = ["jwt-public-keys", "cursor-secret"]
    issuer   = ["jwt-private-keys"]
    storage  = ["storage-hmac-secret"]
    # Only the function that sends mail (the digest's scheduled send) holds the SendGrid key.
    mail = ["sendgrid-api-key"]
    # Webhook URLs carry their own secret (Slack's do): only the alerts check reads them.
    alerts = ["alerts-webhook-urls"]
  }
  function_secrets = {
    for name, f in local.functions : name => toset(flatten([
      for group in try(f.settings, []) : lookup(local.group_secrets, group, [])
    ]))
  }
  function_secret_readers = merge([
    for name, secrets in local.function_secrets : { for s in secrets : "${name}/${s}" => { function = name, secret = s } }
  ]...)

  # The comment pipeline's topics, named for the settings the library reads.
  comments_topic             = one([for s in values(local.dead_lettered_subscriptions) : s.topic if try(s.push_to, null) == "classify-consumer"])
  comments_dead_letter_topic = one([for s in values(local.dead_lettered_subscriptions) : s.dead_letter_topic if try(s.push_to, null) == "classify-consumer"])

  # What every function reads (the core settings).
  common_env = {
    ENVIRONMENT      = var.environment
    LOG_LEVEL        = var.log_level
    PRODUCT_TIMEZONE = var.product_timezone
  }

  # Plain (non-secret) settings this configuration decides, per settings group.
  group_env = {
    auth = {
      TRUSTED_PROXY_HOPS = tostring(var.trusted_proxy_hops)
    }
    pubsub = {
      PUBSUB_PROJECT_ID          = var.project_id
      COMMENTS_TOPIC             = local.comments_topic
      COMMENTS_DEAD_LETTER_TOPIC = local.comments_dead_letter_topic
    }
    # The product's bucket (the first of stack.json), reached through Cloud Storage's
    # S3-compatible XML API with the storage identity's HMAC key (see storage.tf); the key's
    # secret comes from the group's secret.
    storage = {
      S3_BUCKET         = "${var.project_id}-${local.stack.buckets[0]}"
      AWS_ENDPOINT_URL  = "https://storage.googleapis.com"
      AWS_REGION        = "auto"
      AWS_ACCESS_KEY_ID = google_storage_hmac_key.storage.access_id
    }
    # How long comments stay in the database before the maintenance archives them.
    maintenance = {
      COMMENTS_RETENTION_DAYS = var.comments_retention_days != null ? tostring(var.comments_retention_days) : null
    }
    # What the digest's mail needs besides its key (a secret): sender and unsubscribe address.
    digest = {
      DIGEST_FROM_EMAIL      = var.digest_from_email
      DIGEST_UNSUBSCRIBE_URL = var.digest_unsubscribe_url != "" ? var.digest_unsubscribe_url : null
    }
    # Who alerts are e-mailed to (thresholds are settings too: set them in function_env).
    alerts = {
      ALERTS_EMAILS = var.alerts_emails != "" ? var.alerts_emails : null
    }
  }

  function_env = {
    for name, f in local.functions : name => {
      for k, v in merge(concat(
        [local.common_env],
        [for group in try(f.settings, []) : lookup(local.group_env, group, {})],
        [{
          # The groups the function validates at cold start (shared.config.get_function_settings).
          SETTINGS_GROUPS         = join(",", try(f.settings, []))
          FUNCTION_TARGET         = f.target
          FUNCTION_SIGNATURE_TYPE = f.signature
          # functions-framework serves with gunicorn: one thread per concurrent request.
          THREADS                   = tostring(local.scaling[name].concurrency)
          WORKERS                   = tostring(local.scaling[name].workers)
          CLOUD_RUN_TIMEOUT_SECONDS = tostring(local.scaling[name].timeout_seconds)
        }],
        [lookup(var.function_env, name, {})],
      )...) : k => v if v != null
    }
  }

  labels = merge({ app = var.name_prefix, managed-by = "terraform" }, var.labels)
}
