"""Coaching content: the schema of the playbook files and the loader that validates them."""
