"""Tests of assessment.report (one file per module)."""
