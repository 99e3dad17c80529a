variable "project_id" {
  description = "Google Cloud project that hosts the whole stack."
  type        = string
}

variable "region" {
  description = "Region for Cloud Run, Cloud SQL, Artifact Registry and the VPC subnet."
  type        = string
  default     = "us-central1"
}

variable "gateway_region" {
  description = "Region of the API Gateway (it is offered in fewer regions than Cloud Run). Empty means var.region."
  type        = string
  default     = ""
}

variable "name_prefix" {
  description = "Prefix for every named resource (service accounts, secrets, database, network, gateway)."
  type        = string
  default     = "alumusic"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.name_prefix))
    error_message = "name_prefix must be 2-15 characters of lowercase letters, digits and hyphens, starting with a letter (service account ids are limited to 30 characters)."
  }
}

variable "image_registry" {
  description = "Registry path the function images are pushed to, without the image name (e.g. us-central1-docker.pkg.dev/my-project/alumusic). Empty means the Artifact Registry repository this configuration creates."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "Tag (or @sha256 digest, including the '@') of the function images to deploy; one image per function source folder, e.g. <registry>/classify:<tag>."
  type        = string

  validation {
    condition     = can(regex("^(@sha256:[0-9a-f]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$", var.image_tag))
    error_message = "image_tag must be a Docker tag or an '@sha256:<digest>' reference."
  }
}

variable "environment" {
  description = "Value of ENVIRONMENT for every function; anything but development refuses absent keys and placeholder secrets at cold start."
  type        = string
  default     = "production"

  validation {
    condition     = contains(["production", "test"], var.environment)
    error_message = "environment must be production or test on Google Cloud."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of every function (DEBUG, INFO, WARNING, ERROR)."
  type        = string
  default     = "INFO"
}

variable "product_timezone" {
  description = "PRODUCT_TIMEZONE of every function: the IANA zone whose days, hours and ISO weeks the product counts in."
  type        = string
  default     = "America/Sao_Paulo"
}

variable "default_scaling" {
  description = "Scaling and size of every Cloud Run service unless function_scaling overrides it. concurrency is requests per instance (also the server's thread count); workers is server processes per instance."
  type = object({
    min_instances   = number
    max_instances   = number
    concurrency     = number
    workers         = number
    cpu             = string
    memory          = string
    timeout_seconds = number
  })
  default = {
    min_instances   = 0
    max_instances   = 10
    concurrency     = 16
    workers         = 1
    cpu             = "1"
    memory          = "1Gi"
    timeout_seconds = 300
  }

  validation {
    condition = (
      var.default_scaling.min_instances >= 0
      && var.default_scaling.max_instances >= 1
      && var.default_scaling.min_instances <= var.default_scaling.max_instances
      && var.default_scaling.concurrency >= 1
      && var.default_scaling.workers >= 1
    )
    error_message = "default_scaling needs 0 <= min_instances <= max_instances, max_instances >= 1, concurrency >= 1 and workers >= 1."
  }
}

variable "function_scaling" {
  description = "Per-function overrides of default_scaling, keyed by the function name in infra/stack.json (e.g. { \"classify-api\" = { min_instances = 1 } }). Scaling changes need no code change: edit this and apply."
  type = map(object({
    min_instances   = optional(number)
    max_instances   = optional(number)
    concurrency     = optional(number)
    workers         = optional(number)
    cpu             = optional(string)
    memory          = optional(string)
    timeout_seconds = optional(number)
  }))
  default = {}
}

variable "function_env" {
  description = "Extra plain environment variables per function, keyed by function name (settings such as CLASSIFIER, REVIEW_THRESHOLD, COMMENTS_PER_MESSAGE). Secrets never go here."
  type        = map(map(string))
  default     = {}
}

variable "function_publishes" {
  description = "Topics (names from infra/stack.json) each function publishes to; the function's service account gets roles/pubsub.publisher on those topics only. A function listed in stack.json with a \"publishes\" field uses that field instead."
  type        = map(list(string))
  default = {
    # Ingest publishes the comments; the consumer republishes poison messages to the dead-letter
    # topic itself (a message that can never succeed is not retried).
    "classify-api"      = ["comments-submitted"]
    "classify-consumer" = ["comments-submitted-dead-letter"]
    # Insights only reads the digests from the database.
    "insights-api" = []
    # Maintenance only vacuums and analyses the product's tables.
    "maintenance-run" = []
  }
}

variable "chart_snapshot_object_days" {
  description = "Days the per-tick chart snapshot objects (charts/<time>.json) and the replaced versions of charts/latest.json are kept in the bucket; the database keeps CHARTS_RETENTION_HOURS of snapshots."
  type        = number
  default     = 7
}

variable "network_cidr" {
  description = "CIDR of the subnet Cloud Run egresses through (Direct VPC egress) to reach Cloud SQL's private IP."
  type        = string
  default     = "10.20.0.0/24"
}

variable "private_services_prefix_length" {
  description = "Prefix length of the range reserved for Google-managed services (Cloud SQL private IP)."
  type        = number
  default     = 20
}

variable "db_version" {
  description = "Cloud SQL PostgreSQL version."
  type        = string
  default     = "POSTGRES_16"
}

variable "db_tier" {
  description = "Cloud SQL machine tier; null derives it from comments_per_day (infra/README.md, Sizing). Keep max_connections above the sum over functions of max_instances x workers x (DB_POOL_SIZE + DB_MAX_OVERFLOW)."
  type        = string
  default     = null
}

variable "db_availability_type" {
  description = "ZONAL, or REGIONAL for a standby in another zone with automatic failover."
  type        = string
  default     = "REGIONAL"

  validation {
    condition     = contains(["ZONAL", "REGIONAL"], var.db_availability_type)
    error_message = "db_availability_type must be ZONAL or REGIONAL."
  }
}

variable "db_disk_size_gb" {
  description = "Initial Cloud SQL disk size in GB (it grows automatically); null derives it from comments_per_day and comments_kept_days (infra/README.md, Sizing)."
  type        = number
  default     = null
}

variable "comments_per_day" {
  description = "Comments expected a day, averaged over a month; sizes the database's disk and tier when db_disk_size_gb / db_tier are null (infra/README.md, Sizing)."
  type        = number
  default     = 27400

  validation {
    condition     = var.comments_per_day > 0
    error_message = "comments_per_day must be positive."
  }
}

variable "comments_kept_days" {
  description = "Days of comments the database is sized to hold; null: comments_retention_days when set, else 365 (the days planned ahead before the disk grows by itself)."
  type        = number
  default     = null

  validation {
    condition     = var.comments_kept_days == null || try(var.comments_kept_days >= 1, false)
    error_message = "comments_kept_days must be at least 1."
  }
}

variable "comments_retention_days" {
  description = "COMMENTS_RETENTION_DAYS of the maintenance function: comments older than this are archived to the bucket (archive/comments/) and deleted; null keeps them forever."
  type        = number
  default     = null

  validation {
    condition     = var.comments_retention_days == null || try(var.comments_retention_days >= 1, false)
    error_message = "comments_retention_days must be at least 1."
  }
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections flag of the Cloud SQL instance."
  type        = number
  default     = 400
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "alumusic"
}

variable "db_user" {
  description = "Name of the application's database user; its password is generated and kept in Secret Manager."
  type        = string
  default     = "alumusic"
}

variable "deletion_protection" {
  description = "Protect the Cloud SQL instance and the Cloud Run services from deletion by terraform destroy."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels added to every resource that takes them."
  type        = map(string)
  default     = {}
}

variable "bootstrap_image_function" {
  description = "Function (name in infra/stack.json) whose image the bootstrap job runs; any function image carries the command line and the migrations."
  type        = string
  default     = "classify-api"
}

variable "admin_username" {
  description = "Username of the first admin the bootstrap job creates (its password is generated into Secret Manager)."
  type        = string
  default     = "admin"
}

variable "jwt_key_ids" {
  description = "Ids (kid) of the token signing keys, oldest first: each gets an Ed25519 pair whose public key verifies; the last one's private key signs new tokens. Rotate by appending an id, then drop the oldest a refresh-token lifetime later (infra/README.md)."
  type        = list(string)
  default     = ["k1"]

  validation {
    condition     = length(var.jwt_key_ids) >= 1 && length(var.jwt_key_ids) <= 2 && length(distinct(var.jwt_key_ids)) == length(var.jwt_key_ids)
    error_message = "jwt_key_ids holds one or two distinct ids (two only while a rotation is under way)."
  }
}

variable "trusted_proxy_hops" {
  description = "TRUSTED_PROXY_HOPS of the functions that check tokens: how many proxies in front of them append the caller's address to X-Forwarded-For (API Gateway: 1). Login limits count per address by it."
  type        = number
  default     = 1

  validation {
    condition     = var.trusted_proxy_hops >= 0 && var.trusted_proxy_hops <= 10
    error_message = "trusted_proxy_hops is between 0 and 10."
  }
}

variable "product_timezone" {
  description = "PRODUCT_TIMEZONE of every function (a core setting): the zone whose days, hours and ISO weeks charts, digests and filters use."
  type        = string
  default     = "America/Sao_Paulo"
}

variable "sendgrid_api_key" {
  description = "SendGrid API key the weekly digest is sent with; stored in Secret Manager and read only by digest-send."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.sendgrid_api_key) > 0
    error_message = "sendgrid_api_key is needed: the weekly digest is e-mailed through SendGrid."
  }
}

variable "digest_from_email" {
  description = "Sender address of the weekly digest (a sender verified in SendGrid)."
  type        = string
  default     = "resumo@alumusic.com.br"
}

variable "alerts_webhook_urls" {
  description = "ALERTS_WEBHOOK_URLS: comma-separated webhooks alerts are posted to (a hooks.slack.com URL, or one written slack:https://..., gets Slack's shape; others plain JSON); stored in Secret Manager and read only by alerts-run."
  type        = string
  sensitive   = true
  default     = ""
}

variable "alerts_emails" {
  description = "ALERTS_EMAILS: comma-separated addresses alerts are e-mailed to (through SendGrid, from digest_from_email)."
  type        = string
  default     = ""
}

variable "digest_unsubscribe_url" {
  description = "Where a digest reader asks to leave the list (List-Unsubscribe); empty means a mailto: to the sender."
  type        = string
  default     = ""
}
