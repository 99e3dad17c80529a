resource "google_sql_database_instance" "main" {
  #checkov:skip=CKV_GCP_6:every connection is encrypted (ssl_mode ENCRYPTED_ONLY below, sslmode=require in the functions' URL); this check passes PostgreSQL only with client certificates, and the functions authenticate with a Secret Manager password over the private network instead
  #checkov:skip=CKV_GCP_79:the major version is a variable kept equal to the local stack's and compose's PostgreSQL (16), so what the tests run is what production runs; raise them together
  #checkov:skip=CKV2_GCP_13:log_duration logs every statement, thousands per second under ingest; Query Insights (enabled below) keeps per-query latency without that log volume
  project             = var.project_id
  name                = "${var.name_prefix}-pg"
  region              = var.region
  database_version    = var.db_version
  deletion_protection = var.deletion_protection

  settings {
    tier              = local.db_tier
    availability_type = var.db_availability_type
    disk_type         = "PD_SSD"
    disk_size         = local.db_disk_size_gb
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.main.id
      enable_private_path_for_google_cloud_services = true
      # The functions' driver (psycopg, libpq) connects with sslmode=require (secrets.tf).
      ssl_mode = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      backup_retention_settings {
        retained_backups = 14
      }
    }

    database_flags {
      name  = "max_connections"
      value = tostring(var.db_max_connections)
    }

    # Logging an operator needs after an incident: sessions, lock waits, checkpoints, schema
    # changes and the statements that failed (an audit trail through pgAudit), not every query.
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
    database_flags {
      name  = "pgaudit.log"
      value = "ddl,role"
    }

    insights_config {
      query_insights_enabled = true
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "app" {
  project  = var.project_id
  instance = google_sql_database_instance.main.name
  name     = var.db_name
}

resource "random_password" "db" {
  length  = 40
  special = false
}

resource "google_sql_user" "app" {
  project  = var.project_id
  instance = google_sql_database_instance.main.name
  name     = var.db_user
  password = random_password.db.result
}
