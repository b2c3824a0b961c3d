"""Shared analyses over a catalog: text and its stems, Bloom levels, overlap, prose words, metrics, schedules."""
