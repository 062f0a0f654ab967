#!/usr/bin/env bash
# Starts the built noproofd in demo mode as a user would and drives it with the noproof CLI:
# health, methods (with and without a credential), JSON output, exit codes, graceful SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/noproofd.log"
"$bin/noproofd" --demo --port "$port" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
fail() { echo "smoke-test: FAILED: $*" >&2; echo "--- noproofd log:" >&2; cat "$log" >&2; exit 1; }

export NOPROOF_PORT=$port
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
out=$("$bin/noproof" health) || fail "health"
grep -q "^SERVING" <<<"$out" || fail "health said: $out"
"$bin/noproof" health --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["status"]=="SERVING"' || fail "health --json"

set +e
"$bin/noproof" methods >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 16 ] || fail "methods without a credential exited $rc, expected 16 (UNAUTHENTICATED)"
grep -q "UNAUTHENTICATED" "$data/err" || fail "no UNAUTHENTICATED message"
grep -q "hint:" "$data/err" || fail "no hint"

out=$(NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" methods) || fail "methods"
grep -q "/noproof.v1.Health/Check" <<<"$out" || fail "methods listing: $out"
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" methods --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); assert {x["id"] for x in m} >= {1,2,3}, m' || fail "methods --json"

set +e
NOPROOF_CREDENTIAL=demo-taskforce:wrong "$bin/noproof" methods >/dev/null 2>&1; rc=$?
set -e
[ $rc = 16 ] || fail "wrong secret exited $rc, expected 16"

# The licence library as the README walks through it: the water company looks up for its
# "new account" item; the task force office revokes.
# The water company's system names the acting staff member (who must be registered on the unit).
export NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001
set +e
"$bin/noproof" lookup --holder "$(head -1 "$data/data/demo-holders.txt" | cut -d' ' -f1)" --type JMSFZ --item SW-KH-001 --case CASE-0 \
  --staff ghost-9999 >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 7 ] && grep -q "not an active staff member" "$data/err" || fail "a made-up staff id exited $rc: $(cat "$data/err")"
holder=$(head -1 "$data/data/demo-holders.txt" | cut -d' ' -f1)
type=$(head -1 "$data/data/demo-holders.txt" | cut -d' ' -f2)
item=SW-KH-001
"$bin/noproof" lookup --holder "$holder" --type "$type" --item $item --case CASE-1 --out "$data/proof.bin" >/dev/null || fail "lookup"
"$bin/noproof" keys --out "$data/keys.bin" >/dev/null || fail "keys"
"$bin/noproof" verify "$data/proof.bin" --keys "$data/keys.bin" | grep -q VERIFIED || fail "verify"
python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[len(d)//3]^=1; open(sys.argv[2],'wb').write(d)" "$data/proof.bin" "$data/tampered.bin"
set +e
"$bin/noproof" verify "$data/tampered.bin" --keys "$data/keys.bin" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 1 ] || fail "a tampered proof verified (exit $rc)"
licence=$("$bin/noproof" lookup --holder "$holder" --type "$type" --item $item --case CASE-2 --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["licence"]["licenceID"])') || fail "lookup --json"
"$bin/noproof" get "$licence" --holder "$holder" --item $item --case CASE-2 >/dev/null || fail "get"
# Data minimisation: SW-KH-001 names none of the card's data fields, so the proof carries identity and
# validity only and names what it withheld.
if [ "$type" = JMSFZ ]; then
  "$bin/noproof" lookup --holder "$holder" --type "$type" --item $item --case CASE-2 --json | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert not p["licence"]["fields"], p["licence"]["fields"]
assert "ethnicity" in p["withheldFields"] and "address" in p["withheldFields"], p["withheldFields"]' || fail "the water company received personal details"
fi
# Another holder's licence answers like a miss (NOT_FOUND, exit 5).
other=$(sed -n 2p "$data/data/demo-holders.txt" | cut -d' ' -f1)
set +e
"$bin/noproof" get "$licence" --holder "$other" --item $item --case CASE-2 >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 5 ] && grep -q "holds no licence" "$data/err" || fail "get with another holder exited $rc: $(cat "$data/err")"
set +e
"$bin/noproof" lookup --holder "$holder" --type "$type" --item NO-SUCH-ITEM --case CASE-2 >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 7 ] && grep -q "NO-SUCH-ITEM" "$data/err" || fail "an unlisted item exited $rc: $(cat "$data/err")"
set +e
"$bin/noproof" status revoke "$licence" --reason "smoke test" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "the water company revoked a licence it did not issue (exit $rc)"
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" status revoke "$licence" --reason "smoke test" >/dev/null || fail "revoke"
set +e
"$bin/noproof" lookup --holder "$holder" --type "$type" --item $item --case CASE-3 >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 9 ] || grep -q "revoked" "$data/err" || fail "lookup after revoke exited $rc: $(cat "$data/err")"
set +e
"$bin/noproof" lookup --holder 370404199306107808 --type "$type" --item $item --case C >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 3 ] && grep -q "holder_id" "$data/err" || fail "bad check digit exited $rc: $(cat "$data/err")"
.build/debug/import-bench --write "$data/export.csv" 500 7 >/dev/null
export NOPROOF_CREDENTIAL=demo-taskforce:demo-secret
"$bin/noproof" import "$data/export.csv" >/dev/null 2>&1 || true
out=$("$bin/noproof" import "$data/export.csv" --json 2>/dev/null || true)
echo "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["inserted"]==0 and o["updated"]==0, o' || fail "re-import was not idempotent: $out"
unset NOPROOF_CREDENTIAL

# A list change as the README walks through it: the water company drafts and submits a new item,
# the task force supervisor approves, the list is published, and lookups follow it.
water=$("$bin/noproof" units --json | python3 -c 'import json,sys; print([u["code"] for u in json.load(sys.stdin) if u.get("sector")=="water"][0])') || fail "units"
"$bin/noproof" list show "$water" | grep -q "SW-KH-001" || fail "list show"
today=$(TZ=Asia/Shanghai date +%F)
holder2=$(sed -n 2p "$data/data/demo-holders.txt" | cut -d' ' -f1)
type2=$(sed -n 2p "$data/data/demo-holders.txt" | cut -d' ' -f2)
cat >"$data/water-v2.json" <<JSON
{"unit": "$water",
 "items": [
  {"code": "SW-KH-001", "name": "居民用水新开户", "kind": "immediate", "proofs": [
    {"proof": "JMSFZ", "method": "data_sharing"}, {"proof": "BDCQZS", "method": "data_sharing", "fields": ["location", "unit_number"]},
    {"proof": "ZLHT", "name": "房屋租赁合同", "method": "commitment"}, {"proof": "WYZM", "name": "物业证明", "method": "cancelled"}]},
  {"code": "SW-GH-002", "name": "用水户名变更（过户）", "kind": "commitment", "promised_days": 2, "proofs": [
    {"proof": "JMSFZ", "method": "data_sharing"}, {"proof": "BDCQZS", "method": "data_sharing", "fields": ["location", "unit_number"]},
    {"proof": "YYZZ", "method": "data_sharing", "fields": ["legal_representative"]}]},
  {"code": "SW-XH-003", "name": "居民用水销户", "kind": "immediate", "proofs": [{"proof": "$type2", "method": "data_sharing"}]}],
 "changes": [{"kind": "add", "item": "SW-XH-003", "cause": "smoke test", "cause_date": "$today"}]}
JSON
set +e
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" lookup --holder "$holder2" --type "$type2" --item SW-XH-003 --case L-1 >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "a lookup for an item not yet listed exited $rc, expected 7"
version=$(NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" list draft --file "$data/water-v2.json" --staff agent-0001 --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])') || fail "list draft"
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" list submit "$water" "$version" --staff agent-0001 >/dev/null || fail "list submit"
set +e
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" list approve "$water" "$version" --staff agent-0001 >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "approval by a task force agent exited $rc, expected 7"
set +e
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" list approve "$water" "$version" --staff supervisor-0001 >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 7 ] && grep -q "own staff credential" "$data/err" || fail "approval by a system credential naming the supervisor exited $rc: $(cat "$data/err")"
NOPROOF_CREDENTIAL=demo-taskforce/supervisor-0001:demo-secret NOPROOF_STAFF= "$bin/noproof" list approve "$water" "$version" >/dev/null || fail "list approve"
NOPROOF_CREDENTIAL=demo-taskforce/supervisor-0001:demo-secret NOPROOF_STAFF= "$bin/noproof" list publish "$water" "$version" >/dev/null || fail "list publish"
"$bin/noproof" list show "$water" --history | grep -q "published" || fail "list history"
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" lookup --holder "$holder2" --type "$type2" --item SW-XH-003 --case L-2 >/dev/null \
  || fail "a lookup for the newly listed item was refused"
set +e
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" lookup --holder "$holder2" --type "$type2" --item SW-XX-999 --case L-3 >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "a lookup for an unlisted item exited $rc, expected 7"

# Department verification from both units' terminals, as the README walks through it.
out=$(NOPROOF_CREDENTIAL=demo-civil-affairs:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" verify-request file \
  --to 12370000495570452X --proof XWZS --holder "$holder" --holder-name 张三 --item MZ-HY-001 --case HY-SMOKE-1 --declare degree=学士) \
  || fail "verify-request file: $out"
request=$(echo "$out" | grep -o "VR-[A-Za-z0-9]*" | head -1)
[ -n "$request" ] || fail "no request id in: $out"
NOPROOF_CREDENTIAL=demo-university:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" verify-request take "$request" >/dev/null \
  || fail "verify-request take"
set +e
NOPROOF_CREDENTIAL=demo-university:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" verify-request answer "$request" \
  --holder-name 张三 --field degree=学士 >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "an answer on the university's system credential exited $rc, expected 7 (the agent's own credential is needed)"
NOPROOF_CREDENTIAL=demo-university/agent-0001:demo-secret NOPROOF_STAFF= "$bin/noproof" verify-request answer "$request" \
  --holder-name 张三 --field degree=学士 >/dev/null || fail "verify-request answer"
NOPROOF_CREDENTIAL=demo-civil-affairs:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" verify-request show "$request" \
  --out "$data/verified.bin" | grep -q "answered" || fail "verify-request show"
"$bin/noproof" verify "$data/verified.bin" | grep -q "verification.*VERIFIED" || fail "the verification-sealed proof did not verify"
# A watch is not bounded by --timeout (issue 16): still running when `timeout` stops it (124).
set +e
NOPROOF_CREDENTIAL=demo-university/supervisor-0001:demo-secret NOPROOF_STAFF= timeout 3 "$bin/noproof" verify-request watch --timeout 1 \
  >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 124 ] || fail "verify-request watch --timeout 1 exited $rc before being stopped: $(cat "$data/err")"

# The working-day calendar (docs/CALENDAR.md): public to read, published by task force staff.
out=$("$bin/noproof" calendar show) || fail "calendar show"
grep -q "^2027 v1 PROVISIONAL" <<<"$out" && grep -q "08:30-12:00,13:30-17:30" <<<"$out" || fail "calendar show: $out"
echo '{"year": 2028, "holidays": ["2028-01-03"], "working_days": [], "provisional": true, "source": "smoke"}' >"$data/y2028.json"
set +e
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret NOPROOF_STAFF=supervisor-0001 "$bin/noproof" calendar load "$data/y2028.json" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "calendar load on the task force's system credential exited $rc, expected 7 (a staff credential is needed)"
NOPROOF_CREDENTIAL=demo-taskforce/supervisor-0001:demo-secret NOPROOF_STAFF= "$bin/noproof" calendar load "$data/y2028.json" \
  | grep -q "published 2028 v1" || fail "calendar load"
"$bin/noproof" calendar show --year 2028 --json | python3 -c 'import json,sys; y=json.load(sys.stdin)["years"]; assert [x["version"] for x in y] == [1], y' \
  || fail "calendar show --year 2028 --json"

# Commitments, the ledger, mismatches and complaints, as the README walks through them.
civil="--credential demo-civil-affairs:demo-secret"; tf="--credential demo-taskforce:demo-secret"
export NOPROOF_STAFF=agent-0001
cm=$("$bin/noproof" commitment record $civil --holder "$holder" --item MZ-DB-001 --case DB-SMOKE-1 --proof JZZM --channel app \
  --text 本人承诺居住信息真实 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["commitment"])') || fail "commitment record"
set +e
"$bin/noproof" commitment record $civil --holder "$holder" --item MZ-DB-001 --case DB-SMOKE-1 --proof HKB --channel app --text x >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "a commitment for a data-sharing proof exited $rc, expected 7"
"$bin/noproof" commitment check "$cm" $civil --outcome found_false --evidence 走访不符 | grep -q "FOUND FALSE" || fail "commitment check"
"$bin/noproof" commitment list $tf --filter found_false | grep -q "$cm" || fail "the task force does not see the false commitment"
"$bin/noproof" ledger add $civil --holder "$holder" --item MZ-HY-001 --case HY-SMOKE-2 --proof HKB >/dev/null || fail "ledger add"
"$bin/noproof" ledger export $tf --csv | grep "HY-SMOKE-2" | grep -q ",data_sharing,true," || fail "ledger export"
mm=$("$bin/noproof" mismatch open $civil --issuing-unit 12370000495570452X --holder "$holder" --item MZ-HY-001 --case HY-SMOKE-1 \
  --proof XWZS --verification-request "$request" --declared degree=硕士 --fetched degree=学士 --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["mismatch"])') || fail "mismatch open"
set +e
"$bin/noproof" mismatch reverify "$mm" $civil --finding record_stands --note x >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "the requesting unit re-verified (exit $rc)"
"$bin/noproof" mismatch reverify "$mm" --credential demo-university:demo-secret --finding record_stands --note 记录无误 \
  | grep -q "resolved" || fail "mismatch reverify"
cp=$("$bin/noproof" complaint file $tf --channel review --reference HCP-SMOKE-1 --unit "$water" --breach demanded_no_proof_item \
  --summary 要求物业证明 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["complaint"])') || fail "complaint file"
"$bin/noproof" complaint route "$cp" $tf >/dev/null || fail "complaint route"
"$bin/noproof" complaint answer "$cp" --credential demo-water:demo-secret --answer 已整改 >/dev/null || fail "complaint answer"
"$bin/noproof" complaint close "$cp" $tf --substantiated | grep -q "closed" || fail "complaint close"
"$bin/noproof" oversight-counts $tf --unit "$water" --json \
  | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["demanded_no_proof_item"]=="2", o' || fail "oversight-counts"
unset NOPROOF_STAFF
# Supervision: "who looked at my data" for the citizen portal only, and the task force's report.
NOPROOF_CREDENTIAL=demo-citizen-portal:demo-secret "$bin/noproof" who-looked --holder "$holder" --json \
  | python3 -c '
import json, sys
o = json.load(sys.stdin)
seen = {(e["action"], e["unitCode"], e["result"]) for e in o["entries"]}
assert ("Lookup", "'"$water"'", "found") in seen and ("Verification.File", "11370400004315119G", "filed") in seen, seen
assert all(e["unitName"] for e in o["entries"]), o' || fail "who-looked"
set +e
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" who-looked --holder "$holder" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "a unit read who-looked (exit $rc, expected 7)"
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" report --from "$today" --to "$today" --json \
  | python3 -c '
import json, sys
o = json.load(sys.stdin)
rows = {u["unitCode"]: {f["key"]: f.get("value") for f in u["figures"]} for u in o["units"]}
w = rows["'"$water"'"]
assert len(rows) == 8 and w["lookups"] >= 5 and w["lookups_found"] >= 3 and w["denied_calls"] >= 2 and w["list_submissions"] == 1, w
assert rows["11370400004315119G"]["verification_sent"] == 1 and rows["12370000495570452X"]["verification_answered_in_time"] == 1, rows
# The oversight figures come from the oversight records: the civil affairs bureau added a ledger
# entry today (above) for a proof its list obtains by data sharing.
c = rows["11370400004315119G"]
assert c["ledger_entries"] >= 1 and c["ledger_entries_no_proof_items"] >= 1, c' || fail "report"
lines=$(NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" report --from "$today" --to "$today" --csv - | wc -l)
[ "$lines" = 9 ] || fail "report --csv - printed $lines lines, expected a header and 8 units"
set +e
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" report --from "$today" --to "$today" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 7 ] || fail "a unit read every unit's report (exit $rc, expected 7)"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then fail "noproofd did not stop within 10 s of SIGTERM"; fi
wait "$pid" || fail "noproofd exited non-zero after SIGTERM"
set +e
"$bin/noproof" health >/dev/null 2>&1; rc=$?
set -e
[ $rc = 14 ] || fail "health against a stopped server exited $rc, expected 14 (UNAVAILABLE)"
grep -q "stopped" "$log" || fail "no 'stopped' in the log"

# Credentials from a config file: stored hashed, bound to their unit, listed, revocable; the file
# must be owner-only; without --demo the demo's published credentials do not authenticate.
tfcode=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT code FROM unit WHERE task_force=1").fetchone()[0])' "$data/data/units.sqlite")
cat >"$data/noproofd.json" <<JSON
{"credentials": [
  {"id": "tf-supervisor", "secret": "config-secret-1", "unitCode": "$tfcode", "staffId": "supervisor-0001"},
  {"id": "water-system", "secret": "config-secret-2", "unitCode": "$water", "expiresAt": "2030-01-01"}]}
JSON
chmod 644 "$data/noproofd.json"
set +e
"$bin/noproofd" --config "$data/noproofd.json" --port "$port" --data-dir "$data/data" >"$data/config.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "chmod 600" "$data/config.log" || fail "a group-readable config file with credentials was accepted (exit $rc): $(cat "$data/config.log")"
chmod 600 "$data/noproofd.json"
"$bin/noproofd" --config "$data/noproofd.json" --port "$port" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
set +e
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" methods >/dev/null 2>&1; rc=$?
set -e
[ $rc = 16 ] || fail "a demo credential authenticated without --demo (exit $rc)"
export NOPROOF_CREDENTIAL=tf-supervisor:config-secret-1 NOPROOF_STAFF=
"$bin/noproof" credential list | grep "water-system" | grep -q "from config" || fail "the config file's credential is not listed"
NOPROOF_CREDENTIAL=water-system:config-secret-2 "$bin/noproof" methods >/dev/null || fail "the config file's credential did not authenticate"
"$bin/noproof" credential revoke water-system --reason "smoke test" >/dev/null || fail "revoking a config credential"
set +e
NOPROOF_CREDENTIAL=water-system:config-secret-2 "$bin/noproof" methods >/dev/null 2>&1; rc=$?
set -e
[ $rc = 16 ] || fail "a revoked config credential still authenticated (exit $rc)"
unset NOPROOF_CREDENTIAL NOPROOF_STAFF
kill -TERM "$pid"; wait "$pid" || fail "noproofd (config) exited non-zero after SIGTERM"
# The audit trail verifies; editing one row in the SQLite file makes `audit-verify` fail naming it.
"$bin/noproofd" audit-verify --data-dir "$data/data" | grep -q "audit chain verifies" || fail "audit verify on an untouched trail"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE audit SET result=result || '-edited' WHERE sequence=7\"); c.commit()" \
  "$data/data/audit.sqlite"
set +e
out=$("$bin/noproofd" audit-verify --data-dir "$data/data"); rc=$?
set -e
[ $rc = 1 ] && grep -q "BROKEN at sequence 7" <<<"$out" || fail "audit verify after editing record 7 exited $rc: $out"

# Data at rest: a data folder left 0755 with 0644 files is made owner-only at start, with a warning.
chmod 755 "$data/data"; chmod 644 "$data/data/"*.sqlite*
"$bin/noproofd" --port "$port" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || fail "noproofd (permissions) exited non-zero after SIGTERM"
grep -q "made owner-only" "$log" || fail "no warning naming the files made owner-only"
[ "$(stat -c %a "$data/data")" = 700 ] || fail "the data folder is $(stat -c %a "$data/data") after a start"
for f in "$data/data"/*; do
  [ -f "$f" ] || continue
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f is $(stat -c %a "$f") after a start"
done
# Deleting seals/ while stopped: refused (the trail records proofs sealed with the keys), naming
# the folder; no new keys are minted.
mv "$data/data/seals" "$data/seals.saved"
set +e
"$bin/noproofd" --port "$port" --data-dir "$data/data" >"$data/seals.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "seals" "$data/seals.log" && grep -q "rotation" "$data/seals.log" \
  || fail "noproofd started without its seal keys (exit $rc): $(cat "$data/seals.log")"
[ ! -e "$data/data/seals" ] || fail "noproofd minted new seal keys"
mv "$data/seals.saved" "$data/data/seals"
# Deleting audit.sqlite* while stopped: refused, naming what shows the trail existed and the flag;
# no fresh chain is started.
mkdir "$data/trail.saved"; mv "$data/data"/audit.sqlite* "$data/trail.saved/"
set +e
"$bin/noproofd" --port "$port" --data-dir "$data/data" >"$data/trail.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "is missing" "$data/trail.log" && grep -q -- "--new-audit-epoch" "$data/trail.log" \
  || fail "noproofd started a fresh audit chain (exit $rc): $(cat "$data/trail.log")"
[ ! -e "$data/data/audit.sqlite" ] || fail "noproofd created a fresh audit trail"
# The operator starts a new epoch explicitly: the new chain's first record names the reason and
# the previous head (from audit-head).
"$bin/noproofd" --port "$port" --data-dir "$data/data" --new-audit-epoch "smoke test: trail lost" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || fail "noproofd (new epoch) exited non-zero after SIGTERM"
"$bin/noproofd" audit-verify --data-dir "$data/data" | grep -q "audit chain verifies" || fail "audit verify after a new epoch"
python3 -c "
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute('SELECT action, case_reference, proof_serial FROM audit WHERE sequence = 1').fetchone()
assert r[0] == 'Audit.NewEpoch' and r[1] == 'smoke test: trail lost' and len(r[2]) == 64 + 1 + len(r[2].split(':')[0]), r" \
  "$data/data/audit.sqlite" || fail "the new epoch's first record"
# Signed tree heads and a witness outside the data folder (docs/AUDIT.md): a witness inside it is
# refused; a who-looked entry's record is proved; heads reach the witness; records deleted from the
# end of the trail while stopped (counter wound back, so the chain alone verifies) refuse the
# start and fail `audit-verify --witness`, naming the records.
mkdir "$data/witness"
set +e
"$bin/noproofd" --demo --demo-licences 2000 --port "$port" --data-dir "$data/w" --audit-witness "$data/w/heads.jsonl" >"$data/w.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "inside the data folder" "$data/w.log" || fail "a witness inside the data folder was accepted (exit $rc): $(cat "$data/w.log")"
"$bin/noproofd" --demo --demo-licences 2000 --port "$port" --data-dir "$data/w" --audit-witness "$data/witness/heads.jsonl" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
holder=$(head -1 "$data/w/demo-holders.txt" | cut -d' ' -f1)
for n in 1 2 3; do
  NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" lookup --holder "$holder" --type JMSFZ --item SW-KH-001 --case "CASE-W-$n" \
    --staff agent-0001 >/dev/null || fail "lookup $n (witness stage)"
done
sleep 2   # a head is signed every second while records arrive
seq_no=$(NOPROOF_CREDENTIAL=demo-citizen-portal:demo-secret "$bin/noproof" who-looked --holder "$holder" --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["auditSequence"])') || fail "who-looked (witness stage)"
NOPROOF_CREDENTIAL=demo-citizen-portal:demo-secret "$bin/noproof" audit prove "$seq_no" --holder "$holder" | grep -q "^VERIFIED" \
  || fail "audit prove of who-looked record $seq_no"
NOPROOF_CREDENTIAL=demo-water:demo-secret "$bin/noproof" audit head | grep -q "signature verifies" || fail "audit head"
kill -TERM "$pid"; wait "$pid" || fail "noproofd (witness) exited non-zero after SIGTERM"
[ "$(wc -l <"$data/witness/heads.jsonl")" -ge 2 ] || fail "the witness holds $(wc -l <"$data/witness/heads.jsonl") heads"
"$bin/noproofd" audit-verify --data-dir "$data/w" --witness "$data/witness/heads.jsonl" | grep -q "audit tree verifies" \
  || fail "audit verify --witness on an untouched trail"
size=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT MAX(sequence) FROM audit').fetchone()[0])" "$data/w/audit.sqlite")
cp -a "$data/w" "$data/w.saved"
python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); cut = int(sys.argv[2]) - 3
c.execute('DELETE FROM audit WHERE sequence > ?', (cut,)); c.execute('UPDATE sqlite_sequence SET seq = ? WHERE name = \"audit\"', (cut,))
c.execute('DELETE FROM tree_heads'); c.commit()" "$data/w/audit.sqlite" "$size"
printf '%s:%s\n' "$((size - 3))" "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT hex(chain_hash) FROM audit ORDER BY sequence DESC LIMIT 1').fetchone()[0].lower())" "$data/w/audit.sqlite")" >"$data/w/audit-head"
set +e
out=$("$bin/noproofd" audit-verify --data-dir "$data/w" --witness "$data/witness/heads.jsonl"); rc=$?
"$bin/noproofd" --port "$port" --data-dir "$data/w" --audit-witness "$data/witness/heads.jsonl" >"$data/w.log" 2>&1; start_rc=$?
set -e
grep -q "audit chain verifies" <<<"$out" || fail "the truncated chain should verify alone: $out"
[ $rc = 1 ] && grep -q "records $((size - 2))–$size are missing" <<<"$out" || fail "audit verify --witness after truncation exited $rc: $out"
[ $start_rc != 0 ] && grep -q "audit witness" "$data/w.log" && grep -q "records $((size - 2))–$size are missing" "$data/w.log" \
  || fail "noproofd started on a trail shorter than its witnessed head (exit $start_rc): $(cat "$data/w.log")"
rm -rf "$data/w"; mv "$data/w.saved" "$data/w"

# Metrics and JSON logs: /metrics on its own loopback port (docs/METRICS.md) moves with calls;
# every log line is one JSON object.
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/noproofd" --demo --demo-licences 200 --port "$port" --data-dir "$data/m" --metrics-port "$mport" --log-format json >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/noproof" health >/dev/null || fail "health (metrics stage)"
metrics=$(curl -sf "http://127.0.0.1:$mport/metrics") || fail "GET /metrics"
grep -q '^noproof_calls_total{method="/noproof.v1.Health/Check",status="OK"} [1-9]' <<<"$metrics" || fail "no Health/Check calls in /metrics"
grep -q '^noproof_connections_opened_total [1-9]' <<<"$metrics" || fail "no connections in /metrics"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/")" = 404 ] || fail "GET / on the metrics port is not 404"
kill -TERM "$pid"; wait "$pid" || fail "noproofd (metrics) exited non-zero after SIGTERM"
python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert lines and all({"timestamp", "level", "label", "message", "metadata"} <= set(l) for l in lines), lines[:3]
assert any(l["message"] == "metrics endpoint listening" for l in lines)' "$log" || fail "--log-format json lines"

# Backup while the server runs, then a server started on the backup serves the same data.
"$bin/noproofd" --demo --demo-licences 200 --port "$port" --data-dir "$data/b" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
bholder=$(head -1 "$data/b/demo-holders.txt" | cut -d' ' -f1)
btype=$(head -1 "$data/b/demo-holders.txt" | cut -d' ' -f2)
NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001 "$bin/noproof" lookup --holder "$bholder" --type "$btype" --item SW-KH-001 --case B-1 >/dev/null \
  || fail "lookup (backup stage)"
"$bin/noproofd" backup --data-dir "$data/b" --to "$data/b-copy" --json >"$data/backup.json" || fail "noproofd backup while the server runs"
python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
assert b["verified"] and b["auditRecords"] >= 1, b
assert "audit.sqlite" in b["files"] and "licences.sqlite" in b["files"] and any(f.startswith("seals/") for f in b["files"]), b' "$data/backup.json" \
  || fail "backup report: $(cat "$data/backup.json")"
kill -TERM "$pid"; wait "$pid" || fail "noproofd (backup) exited non-zero after SIGTERM"
"$bin/noproofd" --demo --demo-licences 200 --port "$port" --data-dir "$data/b-copy" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
NOPROOF_CREDENTIAL=demo-citizen-portal:demo-secret "$bin/noproof" who-looked --holder "$bholder" | grep -q "B-1\|SW-KH-001" \
  || fail "the restored server does not show the lookup made before the backup"
kill -TERM "$pid"; wait "$pid" || fail "noproofd (restored) exited non-zero after SIGTERM"

echo "smoke-test: noproofd + noproof CLI OK (health, methods, lookup, keys, verify, tamper, get, revoke, import, list life cycle, department verification, watch without a deadline, calendar, commitments, ledger, mismatch, complaints, who-looked, report, exit codes, SIGTERM, audit tamper detection, owner-only files, missing seals and trail refused, new audit epoch, signed heads with a witness, record proof, truncation against the witness, metrics endpoint, JSON logs, backup while running and restore)"
