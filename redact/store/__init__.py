"""The review store: SQLite inside the case folder."""
