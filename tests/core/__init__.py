"""Tests of assessment.core (one file per module)."""
