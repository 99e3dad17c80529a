"""The five dashboard charts: computed in SQL, stored as snapshots, served to the dashboard."""
