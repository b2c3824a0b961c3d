"""Reading what designers write: spec files, YAML with positions, the typed model and its schema, the catalog."""
