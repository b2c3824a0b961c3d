"""Linting: the rule registry, the engine that runs rules and stamps findings, fixes, the cache, rules/ and formats/."""
