"""Plain-text work with no I/O: cleaning untrusted markup, item identity, word similarity,
sentences and dates."""
