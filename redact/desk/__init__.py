"""The review desk: reviewers see each page with its proposed boxes and
decide in the browser (``redact serve CASE``). A local web app on the
case's own store: every decision is recorded there with who, when and why,
as at the command line."""
