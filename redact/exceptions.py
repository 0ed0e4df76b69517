"""Exit codes and the error hierarchy.

The exit codes are a stable interface: batch jobs and scripts branch on them.
Every known failure is a ``RedactError`` subclass carrying its code and a
one-line message that says what to do; the CLI turns it into one line on
stderr (a traceback only with ``-v``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (documented in the README; do not renumber)."""

    ok = 0
    usage = 2  # bad arguments (click's own code)
    bad_input = 3  # corrupt, empty, wrong type, unreadable input file
    encrypted = 4  # password needed or wrong password
    too_large = 5  # input over the configured size or page limits
    bad_config = 6  # rules, config or case file invalid
    case_error = 7  # not a case, unknown id, conflicting state
    pending = 8  # findings still pending: apply refused
    verify_failed = 9  # an output still leaks: kept out of the release folder
    batch_failures = 10  # a batch finished but some files failed
    import_conflicts = 11  # review import found conflicts (nothing overwritten)
    pack_refused = 12  # the pack cannot be issued yet (pending, unverified, no balance, leak)
    other_error = 15  # a bug: please report it with the -v traceback
    interrupted = 130  # Ctrl-C


class RedactError(Exception):
    """Base of all known errors; ``exit_code`` says how the CLI exits."""

    exit_code: ExitCode = ExitCode.other_error


class RequestError(RedactError):
    """A request that cannot be carried out as asked (an unknown exemption
    code, a page the document does not have): the same refusal at the
    command line (exit 2) and at the review desk (HTTP 400)."""

    exit_code = ExitCode.usage


class BadInputError(RedactError):
    """An input file cannot be read as what it claims to be."""

    exit_code = ExitCode.bad_input


class EncryptedError(RedactError):
    """A PDF needs a password (``--password``) or the one given is wrong."""

    exit_code = ExitCode.encrypted


class TooLargeError(RedactError):
    """An input is over the configured limits (``max_pages``, ``max_file_mb``)."""

    exit_code = ExitCode.too_large


class ConfigError(RedactError):
    """Rules, settings or a case file failed validation."""

    exit_code = ExitCode.bad_config


class CaseError(RedactError):
    """The case folder or the review store is not in the state asked for."""

    exit_code = ExitCode.case_error


class PendingError(RedactError):
    """Findings are still pending review."""

    exit_code = ExitCode.pending


class VerificationError(RedactError):
    """An output failed verification: it would leak."""

    exit_code = ExitCode.verify_failed


class ImportConflictError(RedactError):
    """A review import met newer decisions; nothing was overwritten."""

    exit_code = ExitCode.import_conflicts


class PackError(RedactError):
    """The disclosure pack cannot be issued as things stand."""

    exit_code = ExitCode.pack_refused


class BatchFailuresError(RedactError):
    """A batch ran to the end but some files failed."""

    exit_code = ExitCode.batch_failures
