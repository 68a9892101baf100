"""What happens to a fetched page, one stage a module: clean -> dedup -> store."""
