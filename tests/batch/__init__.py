"""Tests of assessment.batch (one file per module)."""
