"""Review workbooks: export a track to xlsx and apply a reviewer's edits back to the specs."""
