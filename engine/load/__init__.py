"""Stage 1: reading rule and candidate files into validated models."""
