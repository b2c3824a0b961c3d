"""Lint rules, one small function each, grouped in modules by family (SP, PR, NM, ...)."""
