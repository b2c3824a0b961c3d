"""trackdesign: lint, document and review learning-track specs kept as YAML."""

__version__ = "0.1.0"

#: The spec format version this release reads and writes.
SPEC_VERSION = 3
