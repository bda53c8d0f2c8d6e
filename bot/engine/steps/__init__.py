"""Step kinds: each draws its own choices and accepts its own input (one kind, one module)."""
