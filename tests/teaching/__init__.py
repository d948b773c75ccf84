"""Tests of assessment.teaching (one file per module)."""
