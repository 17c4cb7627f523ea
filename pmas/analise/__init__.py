"""Analysis: pure functions over stored frames (metrics, comparisons, filters, queries)."""
