"""Stage 2: the fact vocabulary and deriving facts from a candidate as of a date."""
