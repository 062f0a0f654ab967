#!/usr/bin/env bash
# One command for a new user: installs what is missing, builds, and starts noproofd on the
# embedded default (SQLite in ./data) with demo data and the demo credential, on 127.0.0.1:7420,
# and the supervision and queue web page on http://127.0.0.1:7480/ (docs/WEB.md).
# Extra arguments go to noproofd (e.g. --port 7500 or --log-level debug). Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build
swift build
echo
echo "noproofd starts on 127.0.0.1:7420 with demo data. In another terminal (see README.md):"
echo "  export NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001   # the water company's system, for its agent"
echo "  .build/debug/noproof health"
echo "  .build/debug/noproof lookup --holder 370404199306107807 --type JMSFZ --item SW-KH-001 --case CASE-1"
echo "  (staff sign in as themselves with demo-UNIT/STAFF-ID:demo-secret, e.g. demo-taskforce/supervisor-0001)"
echo
echo "The web page (supervision report, approvals inbox, verification queue): http://127.0.0.1:7480/"
echo "  sign in as demo-taskforce/supervisor-0001 with the secret demo-secret (or demo-university/agent-0001 for a queue)"
echo
exec .build/debug/noproofd --demo --data-dir data --web-port 7480 "$@"
