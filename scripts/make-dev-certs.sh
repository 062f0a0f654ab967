#!/usr/bin/env bash
# Makes a development PKI for trying TLS and mutual TLS on one machine (never for production):
#   DIR/ca.pem, ca.key            a dev CA (P-256, 30 days)
#   DIR/server.pem, server.key    noproofd's certificate for 127.0.0.1 and localhost
#   DIR/UNIT.pem, UNIT.key        a client certificate for each unit named (default: demo-water)
# Usage: scripts/make-dev-certs.sh [DIR] [UNIT...]      (DIR defaults to ./dev-certs)
# Keys are created owner-only (umask 077); noproofd refuses a key others can read.
set -euo pipefail
command -v openssl >/dev/null || { echo "openssl is needed: apt-get install openssl" >&2; exit 1; }
dir=${1:-dev-certs}
shift || true
units=("$@")
[ ${#units[@]} -gt 0 ] || units=(demo-water)
umask 077
mkdir -p "$dir"
cd "$dir"
days=30

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [ ! -f ca.pem ]; then
  key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/O=NoProof dev/CN=NoProof dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
  echo "made $dir/ca.pem (the dev CA)"
fi

sign() { # NAME SUBJECT EXTFILE
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days "$days" -extfile "$3" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$3"
}

if [ ! -f server.pem ]; then
  cat > server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
  sign server "/O=NoProof dev/CN=noproofd" server.ext
  echo "made $dir/server.pem (noproofd, for 127.0.0.1 and localhost)"
fi

for unit in "${units[@]}"; do
  [ -f "$unit.pem" ] && continue
  cat > "$unit.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
EXT
  sign "$unit" "/O=NoProof dev/CN=$unit" "$unit.ext"
  echo "made $dir/$unit.pem (client certificate; SHA-256 $(openssl x509 -in "$unit.pem" -noout -fingerprint -sha256 | cut -d= -f2))"
done
