"""layak's library: load → validate → derive facts → compile → evaluate → decide (see README)."""

__version__ = "0.1.0"
