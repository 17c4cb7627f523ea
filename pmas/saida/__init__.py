"""Output: charts, downloads, the blank template and the annual report."""
