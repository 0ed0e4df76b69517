"""Review: list, approve, reject and edit findings; CSV round-trip."""
