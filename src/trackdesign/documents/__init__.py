"""The documents of a track proposal, written from the specs: proposal, task analysis, outlines."""
