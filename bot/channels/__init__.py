"""Channels: thin adapters between a medium (Telegram, a terminal) and the engine."""
