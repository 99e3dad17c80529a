# The database's disk and tier from the volume (infra/README.md, "Sizing"), unless set explicitly.
locals {
  # Measured by the 10,000,000-comment benchmark load: 6.45 GB with every index, 645 bytes each.
  db_bytes_per_comment = 645
  # Rollups grow with time, not volume: at most 35,040 quarter hours a year x 5 categories x the
  # tags seen x 8 slots; measured about 0.2 GB a year at 27,400 comments a day (one slot), 1 GB
  # allowed for rows spread over slots. They are kept when comments are archived.
  db_rollup_gb_per_year = 1
  # VACUUM's dead rows between runs, index bloat, WAL and temporary files.
  db_disk_headroom = 1.3

  db_kept_days       = coalesce(var.comments_kept_days, var.comments_retention_days, 365)
  db_stored_comments = var.comments_per_day * local.db_kept_days
  db_comment_gb      = local.db_stored_comments * local.db_bytes_per_comment / 1000000000
  db_rollup_gb       = local.db_rollup_gb_per_year * max(1, local.db_kept_days / 365)
  db_derived_disk_gb = max(20, ceil(local.db_disk_headroom * (local.db_comment_gb + local.db_rollup_gb)))

  # 2 vCPU / 7.5 GB holds the local stack's measured setup (shared_buffers 2 GB) up to about
  # 50,000 comments a day; each step doubles memory for the recent pages lists and digests read.
  db_derived_tier = var.comments_per_day <= 50000 ? "db-custom-2-7680" : var.comments_per_day <= 200000 ? "db-custom-4-15360" : var.comments_per_day <= 1000000 ? "db-custom-8-30720" : "db-custom-16-61440"

  db_disk_size_gb = coalesce(var.db_disk_size_gb, local.db_derived_disk_gb)
  db_tier         = coalesce(var.db_tier, local.db_derived_tier)
}
