"""Benchmark: pipeline throughput and memory against plain pdfplumber."""
