"""Tourist spots, crowds, themed guides and the visitors' phrase sheet (issue 12)."""
