"""The letter templates (docxtpl) and authority details, shipped in the package as redact.templates."""
