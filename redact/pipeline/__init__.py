"""The backbone every caller runs a document through.

The case (``redact.api``), the batch (``redact.worker``, on local processes
or Dask), the CLI and the review desk open a document with
``Document.open``, the one place that decides its format; scan it with
``Scanner.scan``; decide (the batch policy or the case's review store);
then ``redact.process.release`` redacts, verifies and releases it.
"""

from redact.pipeline.document import Document

__all__ = ["Document"]
