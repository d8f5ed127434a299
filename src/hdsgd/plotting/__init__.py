"""plotting layer: shared style and byte-reproducible PDF output."""
