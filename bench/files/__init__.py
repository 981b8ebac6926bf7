"""Benchmarks of tidying files (make bench-files)."""
