"""Tests of assessment.analysis (one file per module)."""
