"""Printed documents: the board's report from recorded decisions, and the change dossier HR signs."""
