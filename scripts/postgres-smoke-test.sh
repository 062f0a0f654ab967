#!/usr/bin/env bash
# noproofd on PostgreSQL (`--database`), as an operator would run it: the demo on a fresh schema,
# a lookup and a revoke, its audit record in PostgreSQL (no audit.sqlite in the data folder), a
# second noproofd on the same database serving beside the first (its own data folder with a copy of
# the seal keys, the one shared audit trail) and refusing the revoked licence at once, the offline
# import refused while instances serve (the serving lock, shared by instances, exclusive for the
# import), the lock released by PostgreSQL when its holder is killed with -9, a fresh data folder
# (without the seal keys) refused, the offline import, `audit-verify --database` on the trail and the
# denial log's chain in PostgreSQL (one row edited with psql is named), and a trail cut short in the
# database refused at start; a SQLite demo folder moved to PostgreSQL with `noproofd migrate` and
# served from there.
#
#   NOPROOF_TEST_POSTGRES_URL=postgres://... scripts/postgres-smoke-test.sh
#
# scripts/test.sh runs it with the throwaway cluster of scripts/postgres-test-server.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
url=${NOPROOF_TEST_POSTGRES_URL:?set NOPROOF_TEST_POSTGRES_URL (scripts/postgres-test-server.sh start DIR prints one)}
schema="smoke_$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
case "$url" in *\?*) database="$url&schema=$schema" ;; *) database="$url?schema=$schema" ;; esac
work=$(mktemp -d)
pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "postgres-smoke-test: FAILED: $*" >&2; for f in "$work"/*.log; do echo "--- $f:" >&2; tail -30 "$f" >&2; done; exit 1; }

# start NAME: noproofd --demo on the database with data folder $work/NAME; sets $port and $pid.
start() {
  port=$(free_port)
  "$bin/noproofd" --demo --demo-licences 2000 --database "$database" --port "$port" --data-dir "$work/$1" >"$work/$1.log" 2>&1 &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 600); do
    NOPROOF_PORT=$port "$bin/noproof" health >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || fail "noproofd $1 exited at start"
    sleep 0.1
  done
  fail "noproofd $1 did not answer health"
}

start a
grep -q "records in PostgreSQL" "$work/a.log" || fail "noproofd did not say it keeps its records in PostgreSQL"
export NOPROOF_PORT=$port NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001
holder=$(head -1 "$work/a/demo-holders.txt" | cut -d' ' -f1)
type=$(head -1 "$work/a/demo-holders.txt" | cut -d' ' -f2)
licence=$("$bin/noproof" lookup --holder "$holder" --type "$type" --item SW-KH-001 --case PG-1 --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["licence"]["licenceID"])') || fail "lookup on PostgreSQL"
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" status revoke "$licence" --reason "postgres smoke test" >/dev/null \
  || fail "revoke on PostgreSQL"
# The lookup's audit record is in PostgreSQL (issue 18), not in the data folder.
found=$(psql "$url" -v ON_ERROR_STOP=1 -Atqc "SELECT count(*) FROM $schema.audit_record WHERE action = 'Lookup' AND case_reference = 'PG-1'") \
  || fail "psql could not read the audit trail"
[ "$found" = 1 ] || fail "the lookup's audit record is not in PostgreSQL ($found rows)"
[ ! -e "$work/a/audit.sqlite" ] || fail "noproofd on PostgreSQL kept an audit.sqlite in the data folder"

# A second instance on the same database serves beside the first (several instances, issue 18):
# with a data folder of its own holding a copy of the seal keys, on the one audit trail in
# PostgreSQL; it refuses the licence revoked through the first at once.
a_pid=$pid a_port=$port
mkdir -p "$work/b" && cp -R "$work/a/seals" "$work/b/"
port=$(free_port)
"$bin/noproofd" --demo --demo-licences 2000 --database "$database" --port "$port" --data-dir "$work/b" \
  >"$work/b.log" 2>&1 &
b_pid=$!; pids+=("$b_pid")
for _ in $(seq 1 600); do
  NOPROOF_PORT=$port "$bin/noproof" health >/dev/null 2>&1 && break
  kill -0 "$b_pid" 2>/dev/null || fail "the second noproofd exited at start"
  sleep 0.1
done
set +e
NOPROOF_PORT=$port "$bin/noproof" lookup --holder "$holder" --type "$type" --item SW-KH-001 --case PG-B1 >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc = 9 ] && grep -q "revoked" "$work/err" || fail "the second instance answered the licence revoked through the first with $rc: $(cat "$work/err")"
NOPROOF_PORT=$a_port "$bin/noproof" health >/dev/null || fail "the first noproofd stopped serving"
# An offline import into the database they serve is refused (exit 9, as for a data folder in use).
.build/debug/import-bench --write "$work/export.csv" 300 7 >/dev/null
set +e
"$bin/noproofd" import --database "$database" "$work/export.csv" >"$work/import-refused.log" 2>&1; rc=$?
set -e
[ $rc = 9 ] && grep -q "noproofd is serving the PostgreSQL database" "$work/import-refused.log" || fail "an offline import while noproofd serves exited $rc"
kill -TERM "$b_pid"; wait "$b_pid" || fail "the second noproofd did not stop cleanly on SIGTERM"
pid=$a_pid port=$a_port

# Killed with -9: PostgreSQL releases the lock with the connection; noproofd starts again on the
# same data folder (the audit trail and keys) and serves the same records, the revocation included.
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
start a
mv "$work/a.log" "$work/c.log"
export NOPROOF_PORT=$port
set +e
"$bin/noproof" lookup --holder "$holder" --type "$type" --item SW-KH-001 --case PG-2 >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc = 9 ] && grep -q "revoked" "$work/err" || fail "after kill -9 and a new data folder the revoked licence answered $rc: $(cat "$work/err")"
# Two lookups by someone who is not on the unit's staff: refused, each a denial log entry (in PostgreSQL).
for ref in PG-D1 PG-D2; do
  set +e
  NOPROOF_STAFF=agent-9999 "$bin/noproof" lookup --holder "$holder" --type "$type" --item SW-KH-001 --case "$ref" >/dev/null 2>"$work/err"; rc=$?
  set -e
  [ $rc = 7 ] || fail "a lookup by an unknown staff member answered $rc: $(cat "$work/err")"
done
kill -TERM "$pid"; wait "$pid" || fail "noproofd did not stop cleanly on SIGTERM"
grep -q "audit tree head signed at stop" "$work/c.log" || fail "no graceful stop"
# A fresh data folder on a database that holds records: the shared trail records proofs sealed with
# keys this folder does not hold (seals/ must be copied to every instance), and noproofd says so
# instead of making new keys.
set +e
"$bin/noproofd" --demo --demo-licences 2000 --database "$database" --port "$(free_port)" --data-dir "$work/d" >"$work/d.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "missing from $work/d/seals, but the audit trail records proofs issued" "$work/d.log" \
  || fail "a fresh data folder on a database with records started (exit $rc)"
# Stopped: the offline import loads into PostgreSQL, and a re-run changes nothing.
"$bin/noproofd" import --database "$database" --json "$work/export.csv" >"$work/import.json" || fail "offline import into PostgreSQL"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["rejected"] == 0 and r["inserted"] > 0 and r["inserted"] + r["updated"] + r["unchanged"] == 300, r' "$work/import.json" \
  || fail "offline import: $(cat "$work/import.json")"
"$bin/noproofd" import --database "$database" --json "$work/export.csv" >"$work/import2.json" || fail "offline import re-run"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["inserted"] == 0 and r["updated"] == 0 and r["unchanged"] == 300, r' "$work/import2.json" \
  || fail "offline import re-run: $(cat "$work/import2.json")"
# Stopped: audit-verify checks the trail (chain, tree against the signed heads, supervision tallies)
# and the denial log's chain in PostgreSQL; a supervision counter raised with psql is named; one denial row edited with psql (its hash left as it was) makes it exit 1 naming that entry.
out=$("$bin/noproofd" audit-verify --data-dir "$work/a" --database "$database") || fail "audit-verify --database on an untouched trail and denial log: $out"
grep -q "audit chain verifies (PostgreSQL" <<<"$out" && grep -Eq "audit tree verifies: [1-9][0-9]* records" <<<"$out" \
  && grep -Eq "signed heads +[1-9][0-9]* checked" <<<"$out" \
  || fail "audit-verify --database did not verify the audit trail in PostgreSQL: $out"
grep -Eq "denial log +chain verifies \([1-9][0-9]* entries, in PostgreSQL\)" <<<"$out" \
  || fail "audit-verify --database did not verify the denial log in PostgreSQL: $out"
grep -Eq "tallies +[1-9][0-9]* supervision counters recomputed from the records: all match" <<<"$out" \
  || fail "audit-verify --database did not recompute the supervision tallies in PostgreSQL: $out"
# One supervision counter raised with psql: audit-verify exits 1 naming it; put back afterwards.
psql "$url" -v ON_ERROR_STOP=1 -qc "UPDATE $schema.supervision_tally SET count = count + 1 WHERE (day, unit_code, metric) = (SELECT day, unit_code, metric FROM $schema.supervision_tally ORDER BY day, unit_code, metric LIMIT 1)" >/dev/null \
  || fail "psql could not edit a supervision tally"
set +e
out=$("$bin/noproofd" audit-verify --data-dir "$work/a" --database "$database"); rc=$?
set -e
[ $rc = 1 ] && grep -q "supervision tally differs from the records: day" <<<"$out" \
  || fail "audit-verify --database after a supervision tally was edited exited $rc: $out"
psql "$url" -v ON_ERROR_STOP=1 -qc "UPDATE $schema.supervision_tally SET count = count - 1 WHERE (day, unit_code, metric) = (SELECT day, unit_code, metric FROM $schema.supervision_tally ORDER BY day, unit_code, metric LIMIT 1)" >/dev/null \
  || fail "psql could not put the supervision tally back"
psql "$url" -v ON_ERROR_STOP=1 -qc "UPDATE $schema.denial_log SET reason = 'edited' WHERE sequence = 2" >/dev/null \
  || fail "psql could not edit the denial log"
set +e
out=$("$bin/noproofd" audit-verify --data-dir "$work/a" --database "$database"); rc=$?
set -e
[ $rc = 1 ] && grep -q "denial log entry 2: stored chain hash does not match" <<<"$out" \
  || fail "audit-verify --database after a denial row was edited exited $rc: $out"
# The trail cut short in the database (its last records deleted with psql): audit-verify names the
# missing records against the signed heads, and noproofd refuses to start, naming the way out.
psql "$url" -v ON_ERROR_STOP=1 -qc "DELETE FROM $schema.audit_record WHERE sequence > (SELECT MAX(sequence) - 3 FROM $schema.audit_record)" >/dev/null \
  || fail "psql could not delete audit records"
set +e
out=$("$bin/noproofd" audit-verify --data-dir "$work/a" --database "$database"); rc=$?
set -e
[ $rc = 1 ] && grep -q "audit chain BROKEN" <<<"$out" || fail "audit-verify --database after records were deleted exited $rc: $out"
set +e
"$bin/noproofd" --database "$database" --port "$(free_port)" --data-dir "$work/a" >"$work/e.log" 2>&1; rc=$?
set -e
[ $rc != 0 ] && grep -q "are missing" "$work/e.log" && grep -q "Restore the PostgreSQL database from its backup" "$work/e.log" \
  || fail "noproofd started on a trail cut short in PostgreSQL (exit $rc)"

# Moving from SQLite to PostgreSQL (`noproofd migrate`, issue 18): the demo on an embedded data
# folder, a lookup (its proof kept) and a denial; migrate refused while noproofd serves the folder;
# stopped, migrated into a new schema (the audit chain verified on both sides); noproofd on that
# schema (same data folder, for seals/) serves the same holder, the proof made on SQLite verifies
# online, audit-verify --database passes, and a second migrate into the schema is refused.
mschema="${schema}_migrated"
case "$url" in *\?*) mdatabase="$url&schema=$mschema" ;; *) mdatabase="$url?schema=$mschema" ;; esac
port=$(free_port)
"$bin/noproofd" --demo --demo-licences 2000 --port "$port" --data-dir "$work/s" >"$work/s.log" 2>&1 &
s_pid=$!; pids+=("$s_pid")
for _ in $(seq 1 600); do
  NOPROOF_PORT=$port "$bin/noproof" health >/dev/null 2>&1 && break
  kill -0 "$s_pid" 2>/dev/null || fail "noproofd on SQLite exited at start"
  sleep 0.1
done
export NOPROOF_PORT=$port NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001
mholder=$(head -1 "$work/s/demo-holders.txt" | cut -d' ' -f1)
mtype=$(head -1 "$work/s/demo-holders.txt" | cut -d' ' -f2)
"$bin/noproof" lookup --holder "$mholder" --type "$mtype" --item SW-KH-001 --case MIG-1 --out "$work/proof.bin" >/dev/null \
  || fail "lookup on SQLite before the migration"
set +e
NOPROOF_STAFF=agent-9999 "$bin/noproof" lookup --holder "$mholder" --type "$mtype" --item SW-KH-001 --case MIG-D >/dev/null 2>&1
"$bin/noproofd" migrate --from "sqlite:$work/s" --to "$mdatabase" >"$work/migrate-refused.log" 2>&1; rc=$?
set -e
[ $rc = 9 ] && grep -q "is in use" "$work/migrate-refused.log" || fail "migrate while noproofd serves the folder exited $rc"
kill -TERM "$s_pid"; wait "$s_pid" || fail "noproofd on SQLite did not stop cleanly on SIGTERM"
"$bin/noproofd" migrate --from "sqlite:$work/s" --to "$mdatabase" >"$work/migrate.log" 2>&1 || fail "noproofd migrate"
grep -q "migration complete" "$work/migrate.log" && grep -Eq "audit_record +[1-9][0-9]* -> [1-9][0-9]*" "$work/migrate.log" \
  && grep -Eq "licence +2000 -> 2000" "$work/migrate.log" && grep -q "audit PostgreSQL : chain verifies" "$work/migrate.log" \
  || fail "noproofd migrate did not report the copy: $(cat "$work/migrate.log")"
port=$(free_port)
# --demo again: the folder's demo credentials (copied as stored) are accepted in demo mode only.
"$bin/noproofd" --demo --demo-licences 2000 --database "$mdatabase" --port "$port" --data-dir "$work/s" >"$work/m.log" 2>&1 &
m_pid=$!; pids+=("$m_pid")
for _ in $(seq 1 600); do
  NOPROOF_PORT=$port "$bin/noproof" health >/dev/null 2>&1 && break
  kill -0 "$m_pid" 2>/dev/null || fail "noproofd on the migrated schema exited at start"
  sleep 0.1
done
export NOPROOF_PORT=$port
"$bin/noproof" lookup --holder "$mholder" --type "$mtype" --item SW-KH-001 --case MIG-2 >/dev/null 2>"$work/err" \
  || fail "lookup on the migrated schema: $(cat "$work/err")"
"$bin/noproof" verify "$work/proof.bin" --online >/dev/null 2>"$work/err" \
  || fail "the proof made on SQLite does not verify online on the migrated schema: $(cat "$work/err")"
found=$(psql "$url" -v ON_ERROR_STOP=1 -Atqc "SELECT count(*) FROM $mschema.audit_record WHERE case_reference IN ('MIG-1', 'MIG-2')") \
  || fail "psql could not read the migrated audit trail"
[ "$found" = 2 ] || fail "the migrated trail does not hold the lookups before and after the migration ($found rows)"
kill -TERM "$m_pid"; wait "$m_pid" || fail "noproofd on the migrated schema did not stop cleanly on SIGTERM"
out=$("$bin/noproofd" audit-verify --data-dir "$work/s" --database "$mdatabase") || fail "audit-verify --database on the migrated schema: $out"
grep -q "audit chain verifies (PostgreSQL" <<<"$out" && grep -Eq "denial log +chain verifies \([1-9][0-9]* entries, in PostgreSQL\)" <<<"$out" \
  || fail "audit-verify --database on the migrated schema: $out"
set +e
"$bin/noproofd" migrate --from "sqlite:$work/s" --to "$mdatabase" >"$work/migrate-again.log" 2>&1; rc=$?
set -e
[ $rc = 1 ] && grep -q "already holds the migration" "$work/migrate-again.log" || fail "a second migrate into the schema exited $rc: $(cat "$work/migrate-again.log")"
echo "postgres-smoke-test: ok (demo on PostgreSQL schema $schema: lookup, revoke, its audit record in PostgreSQL, a second instance serving beside the first and refusing the revoked licence, lock released after kill -9, records kept across the restart, a folder without the seal keys refused, offline import refused while serving and idempotent after, the audit trail, its supervision tallies and the denial log's chain verified in PostgreSQL, an edited tally and an edited entry named, a trail cut short refused; a SQLite data folder migrated into schema $mschema and served from there)"
