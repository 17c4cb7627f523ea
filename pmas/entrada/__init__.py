"""Input: upload bytes → raw tables → canonical frames → findings → preview."""
