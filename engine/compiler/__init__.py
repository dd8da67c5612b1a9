"""Stage 3: compiling a position class to an engine-neutral plan and a decision layout."""
