"""The exit (issue #18): every case out to open formats, and back into a fresh cluster."""
