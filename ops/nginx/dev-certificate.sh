#!/bin/sh
# Makes the proxy's development certificate, once (docker-compose.yml runs it before nginx starts): a self-signed
# EC P-256 certificate for localhost and 127.0.0.1 (add names with CCM_PROXY_HOSTNAMES="ledger.example.org other"),
# valid 365 days, written as tls.crt and tls.key (owner-only) into the directory given (default /etc/nginx/tls).
# A directory that already holds both files is left alone: that is how a real certificate stays in place
# (docs/operations.md, "TLS"). Needs only openssl.
set -eu
dir=${1:-/etc/nginx/tls}
if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ]; then
  echo "dev-certificate: $dir already holds tls.crt and tls.key; keeping them"
  exit 0
fi
mkdir -p "$dir"
names="DNS:localhost,IP:127.0.0.1"
for name in ${CCM_PROXY_HOSTNAMES:-}; do
  names="$names,DNS:$name"
done
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
  -subj "/CN=ccm-ledger development certificate" -addext "subjectAltName=$names" \
  -keyout "$dir/tls.key.new" -out "$dir/tls.crt.new" 2>/dev/null
chmod 644 "$dir/tls.crt.new"
mv "$dir/tls.key.new" "$dir/tls.key"
mv "$dir/tls.crt.new" "$dir/tls.crt"
echo "dev-certificate: wrote a self-signed development certificate for $names to $dir/tls.crt (not for real data)"
