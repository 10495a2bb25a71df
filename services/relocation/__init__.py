"""Relocation: town profiles side by side, a household's budget check, support programmes and
'my relocation plan' on the device (docs/tourism-relocation.md, "services/relocation")."""
