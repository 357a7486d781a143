#!/bin/sh
# Regenerates the DEMO-ONLY certificates in examples/certs/: a demo root CA, an intermediate,
# and a wildcard leaf for *.runai.example.com and runai.example.com (EC P-256), valid 100 years.
# fullchain.pem ends in the demo root, as a private CA's chain should (it is in no root store).
# The CA keys are thrown away; the leaf key is committed on purpose, so it protects nothing.
# Never use these files on a real cluster.
set -eu
out=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)/certs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500
cd "$work"
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

ec root.key
openssl req -x509 -new -key root.key -sha256 -days "$days" -subj "/O=runai-access demo/CN=runai-access DEMO root CA - do not trust" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem

ec int.key
openssl req -new -key int.key -subj "/O=runai-access demo/CN=runai-access DEMO intermediate CA" -out int.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial -days "$days" -sha256 -extfile int.ext -out int.pem

ec leaf.key
openssl req -new -key leaf.key -subj "/O=runai-access demo/CN=*.runai.example.com" -out leaf.csr
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.runai.example.com,DNS:runai.example.com\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -CAcreateserial -days "$days" -sha256 -extfile leaf.ext -out leaf.pem

mkdir -p "$out"
cat leaf.pem int.pem root.pem > "$out/fullchain.pem"
cp leaf.key "$out/private.pem"
cp root.pem "$out/demo-root-ca.pem"
# 644 for the key too: it is public (DEMO ONLY), and git gives it that mode in every clone anyway;
# the tests read it as another user.
chmod 644 "$out/fullchain.pem" "$out/demo-root-ca.pem" "$out/private.pem"
echo "wrote $out/fullchain.pem, $out/private.pem and $out/demo-root-ca.pem (DEMO ONLY)"
