"""Tools over the pipeline: lint, case tests, boundaries, what-if, population diff."""
