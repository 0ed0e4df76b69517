#!/usr/bin/env bash
# The whole pipeline on the bundled synthetic sample case (invented people).
set -euo pipefail
cd "$(dirname "$0")/.."
R=".venv/bin/redact"
CASE=build/demo/FOI-2025-0142
rm -rf build/demo
$R sample build/demo/inputs >/dev/null
$R init "$CASE" --reference FOI-2025-0142 --received 2025-12-19 --request build/demo/request.yaml
$R add "$CASE" build/demo/inputs
$R scan "$CASE"
echo "--- explicit approval policy: personal data redacted, public items kept ---" >&2
$R approve "$CASE" --all-pending --personal --reviewer demo --reason "s40(2): junior staff and members of the public"
$R reject "$CASE" --all-pending --public --reviewer demo --reason "public: chief officer, team line or mailbox"
$R mark "$CASE" --page 2 -d information-sharing-procedure.pdf --exemption "s31(1)(a)" --reviewer demo \
    --reason "contacts page would prejudice law enforcement"
$R apply "$CASE"
$R verify "$CASE"
$R status "$CASE"
$R deadline --case "$CASE" --pi-extension 20
PACK=$($R pack "$CASE" --today 2026-01-08)
# the same documents scanned into a second case and left for review: the desk has proposals to decide
REVIEW=build/demo/FOI-2025-0143
$R -q init "$REVIEW" --reference FOI-2025-0143 --received 2025-12-19 --request build/demo/request.yaml >/dev/null
$R -q add "$REVIEW" build/demo/inputs >/dev/null
$R -q scan "$REVIEW" >/dev/null
echo
echo "Redacted outputs:    $CASE/out/"
echo "Verification report: $CASE/reports/verification.txt"
echo "Disclosure pack:     $PACK (and $PACK.zip)"
echo "Review desk:         $R serve $REVIEW   (the same documents, every proposal pending)"
