"""Detection: Presidio on spaCy plus UK recognisers and the s40 policy."""
