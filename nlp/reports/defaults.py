"""Report defaults that the CLI reads without importing pandas / Altair (cold start of every command)."""

DEFAULT_MIN_NOTES = 10  # below this many notes a group's rates are shown but marked as not a trend
