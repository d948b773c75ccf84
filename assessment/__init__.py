"""Commercial maturity assessment."""
