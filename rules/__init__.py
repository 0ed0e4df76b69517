"""The rules (YAML, validated at load), shipped in the package as redact.rules."""
