"""Placeholder: filled in by its calculator module."""
