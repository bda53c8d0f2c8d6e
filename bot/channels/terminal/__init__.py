"""The terminal channel: the same flows on stdin and stdout."""
