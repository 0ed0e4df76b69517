"""Allow ``python -m redact``."""

from __future__ import annotations

from redact.cli import main

if __name__ == "__main__":
    main()
