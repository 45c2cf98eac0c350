"""The build: the only package that knows "last time". pipeline.py is the one build (load, parse, check, render,
write); state.py, cache.py and records.py what it keeps for the next; reading.py reads reports, new or as last kept."""
