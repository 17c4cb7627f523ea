"""Storage: the database, the canonical schema and the plans."""
