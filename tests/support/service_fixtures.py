"""Service fixtures: the Pub/Sub emulator, the S3 emulator and function servers, started for real."""
