#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when one is missing.
#   system-deps.sh        everything the test suite needs (what `make test` and CI run)
#   system-deps.sh --run  only what the server needs to run (`make run`): the Times-metric
#                         font of official documents. Never fatal: without it the server
#                         still runs, and logs that PDFs fall back to Noto Sans.
set -euo pipefail
run_packages=(fonts-texgyre)
test_packages=(libegl1 libgl1-mesa-dri libmtdev1 libsodium23 fonts-dejavu-core chromium xvfb
               poppler-utils softhsm2 opensc libnss3-tools postgresql-client haproxy iproute2 wrk
               "${run_packages[@]}")
mode="${1:-test}"
if [ "$mode" = "--run" ]; then packages=("${run_packages[@]}"); else packages=("${test_packages[@]}"); fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Cài gói hệ thống / installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
install() {
  $SUDO apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
if [ "$mode" = "--run" ]; then
  if [ -n "$SUDO" ] && ! sudo -n true 2>/dev/null; then
    echo "CẢNH BÁO / WARNING: không cài được ${missing[*]} (cần quyền root): văn bản PDF sẽ dùng phông Noto Sans thay cho Times." >&2
    echo "  Run: sudo apt-get install ${missing[*]}   (official PDFs fall back to Noto Sans until then)" >&2
    exit 0
  fi
  install || echo "CẢNH BÁO / WARNING: cài ${missing[*]} thất bại; PDFs fall back to Noto Sans." >&2
  exit 0
fi
install
