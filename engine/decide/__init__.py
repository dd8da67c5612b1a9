"""Stage 5: statuses, verdicts and ranking; the check pipeline."""
