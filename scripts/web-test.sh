#!/usr/bin/env bash
# The supervision and queue web page (docs/WEB.md) in Debian's headless Chromium: starts the built
# noproofd in demo mode with --web-port on a temporary folder, makes a submitted list version and a
# few verification requests with the CLI, then drives Chromium over the DevTools pipe
# (scripts/web_test.py): sign-in through the form, the supervision charts, the approvals inbox,
# the queue's order, logout. Saves the supervision page's screenshot (docs/images/web-supervision.png
# with --screenshot, else in the temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "web-test: chromium not found (Debian: apt-get install chromium)" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
web=$(free_port)
data=$(mktemp -d)
log="$data/noproofd.log"
screenshot="$data/web-supervision.png"
[ "${1:-}" = "--screenshot" ] && screenshot=docs/images/web-supervision.png
"$bin/noproofd" --demo --demo-licences 2000 --port "$port" --web-port "$web" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
fail() { echo "web-test: FAILED: $*" >&2; echo "--- noproofd log:" >&2; tail -50 "$log" >&2; exit 1; }

export NOPROOF_PORT=$port
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/noproof" health >/dev/null || fail "noproofd did not start"
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$web/login" && break; sleep 0.1; done
grep -q "http://127.0.0.1:$web/" "$log" || fail "noproofd did not log the web page's address"

# The sign-in form as Chromium renders it, no session (--dump-dom).
root=(); [ "$(id -u)" = 0 ] && root=(--no-sandbox)
dump() { "$chromium" --headless=new "$@" --disable-gpu --no-first-run --user-data-dir="$data/profile" \
  --virtual-time-budget=3000 --dump-dom "http://127.0.0.1:$web/login" 2>/dev/null >"$data/login.html"; }
# (A container without user namespaces cannot start Chromium's sandbox: then without it.)
dump "${root[@]}" || dump --no-sandbox || fail "chromium --dump-dom"
grep -q 'name="credential"' "$data/login.html" && grep -q 'type="password"' "$data/login.html" || fail "the sign-in form: $(head -c 500 "$data/login.html")"
# Cross-site posts are refused (Origin), and so is a post without the form's token.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: http://evil.example' --data 'csrf=x&credential=a&secret=b' "http://127.0.0.1:$web/login")
[ "$code" = 403 ] || fail "a cross-site sign-in post answered $code, expected 403"

# A submitted list version for the approvals inbox: the water company's next version, which
# withdraws its last item (declared today).
water=$("$bin/noproof" units --json | python3 -c 'import json,sys; print([u["code"] for u in json.load(sys.stdin) if u.get("sector")=="water"][0])')
today=$(TZ=Asia/Shanghai date +%F)
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" list show "$water" --json | python3 -c '
import json, sys
items = json.load(sys.stdin)["inForce"]["items"]
print(json.dumps({"unit": sys.argv[1], "items": items[:-1],
                  "changes": [{"kind": "reduce", "item": items[-1]["code"], "cause": "web test", "cause_date": sys.argv[2]}]}))' "$water" "$today" \
  >"$data/water-v2.json" || fail "list show"
version=$(NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" list draft --file "$data/water-v2.json" --staff agent-0001 --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])') || fail "list draft"
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" list submit "$water" "$version" --staff agent-0001 >/dev/null || fail "list submit"

# Three verification requests to Zaozhuang University's queue.
holder=$(head -1 "$data/data/demo-holders.txt" | cut -d' ' -f1)
for n in 1 2 3; do
  NOPROOF_CREDENTIAL=demo-civil-affairs:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" verify-request file \
    --to 12370000495570452X --proof XWZS --holder "$holder" --holder-name 张三 --item MZ-HY-001 --case "HY-WEB-$n" --declare degree=学士 \
    >/dev/null || fail "verify-request file $n"
  sleep 1
done

# Three lookups the water company's published list does not allow: this month's denials.
for n in 1 2 3; do
  NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" lookup --holder "$holder" --type JMSFZ \
    --item SW-XX-999 --case "D-$n" >/dev/null 2>&1 && fail "a lookup for an unlisted item was answered"
done

# The supervision period: this month and the two before it (China Standard Time).
period=$(python3 -c '
import datetime
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
year, month = today.year, today.month - 2
if month < 1: year, month = year - 1, month + 12
print(f"{year:04d}-{month:02d}-01:{today}")')
names=()
while IFS= read -r name; do names+=(--expect-unit "$name"); done < <("$bin/noproof" units --json | python3 -c 'import json,sys; [print(u["name"]) for u in json.load(sys.stdin)]')
python3 scripts/web_test.py "http://127.0.0.1:$web" --chromium "$chromium" \
  --credential demo-taskforce/supervisor-0001 --secret demo-secret "${names[@]}" \
  --period "$period" --months 3 --denials 3 --approval "$water:$version" \
  --queue-credential demo-university/agent-0001 --queue-size 3 --screenshot "$screenshot" || fail "headless Chromium"
[ -s "$screenshot" ] || fail "no screenshot"
# A graceful stop ends the web page too (its sessions' RPC connections closed first).
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ $rc = 0 ] || fail "noproofd exited $rc on SIGTERM"
grep -q "web page stopped" "$log" || fail "the web page did not stop gracefully"
echo "web-test: passed (screenshot: $screenshot)"
