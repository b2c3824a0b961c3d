"""The rules, one module per family (SP, PR, NM, LK, OV, OB, OL, TR); the registry discovers them."""
