"""The dialog engine: flows defined once as data, run against the database, for any channel."""
