"""Source kinds: one module per kind; ``registry`` is the table of them."""
