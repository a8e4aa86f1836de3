#!/usr/bin/env bash
# Creates the TLS material of the compose setup (compose.yaml) with openssl:
#
#   certs/ca.pem, ca.key            a private CA (the key never leaves this directory)
#   certs/zkN.pem, zkN.key          ZooKeeper server N (N = 1..3), SAN DNS:zkN, DNS:localhost, IP:127.0.0.1
#   certs/zkN-keystore.pem          zkN.pem followed by its unencrypted PKCS#8 key: the
#                                   PEM "keystore" ZooKeeper reads (ssl.keyStore.type=PEM)
#   certs/client.pem, client.key    the builder's client certificate (zookeeper-tls cert/key)
#
# ZooKeeper runs with ssl.clientAuth=need, as Nodepool deployments do: a client
# needs a certificate signed by this CA. The same certificates serve the quorum
# (server-to-server) TLS, so every leaf is valid for serverAuth and clientAuth.
#
# Usage: make-certs.sh [OUTPUT_DIR]   (default: certs/ beside this script)
#   DAYS=825 make-certs.sh            validity of the certificates (default 825)
#   FORCE=1 make-certs.sh             replace existing files (a new CA: every
#                                     node and client needs the new files)
#
# The server keystores are made readable by all (0644): the ZooKeeper image runs
# as its own user, whose uid does not match yours. That is fine for this demo;
# in production give each key to its service's user only (chown, chmod 0600).
set -euo pipefail

out=${1:-"$(cd "$(dirname "$0")" && pwd)/certs"}
days=${DAYS:-825}
nodes=(zk1 zk2 zk3)

if [ -e "$out/ca.pem" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "make-certs: $out/ca.pem exists; keeping the existing certificates (FORCE=1 replaces them)" >&2
  exit 0
fi
mkdir -p "$out"
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days "$days" \
  -subj '/CN=Kiln compose ZooKeeper CA' \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
  -keyout "$out/ca.key" -out "$out/ca.pem" 2>/dev/null

# issue NAME SUBJECT_ALT_NAMES: NAME.key, NAME.pem signed by the CA
issue() {
  local name=$1 san=$2
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name" \
    -keyout "$out/$name.key" -out "$work/$name.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" > "$work/$name.ext"
  openssl x509 -req -sha256 -days "$days" -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
    -CAcreateserial -CAserial "$work/ca.srl" -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
}

for node in "${nodes[@]}"; do
  issue "$node" "DNS:$node,DNS:localhost,IP:127.0.0.1"
  # ZooKeeper's PEM keystore: the certificate, then the key as unencrypted PKCS#8.
  { cat "$out/$node.pem"; openssl pkcs8 -topk8 -nocrypt -in "$out/$node.key"; } > "$out/$node-keystore.pem"
  chmod 0644 "$out/$node-keystore.pem"
done
issue client "DNS:kiln-builder,DNS:localhost,IP:127.0.0.1"

chmod 0644 "$out"/*.pem
chmod 0755 "$out"
for f in "${nodes[@]/%/.pem}" client.pem; do
  openssl verify -CAfile "$out/ca.pem" "$out/$f" >/dev/null
done
echo "make-certs: CA, ${nodes[*]} and client certificates in $out (valid $days days)"
