"""Stage 4: evaluating a plan over candidates (durable-rules, and the pure-Python oracle)."""
