"""Output: words per language, views and formats."""
