"""The audit trail: every decision recorded, hash-chained, verifiable and replayable (README, "Audit trail")."""
