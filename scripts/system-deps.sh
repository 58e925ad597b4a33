#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing.
set -euo pipefail
packages=(libegl1 libgl1-mesa-dri libmtdev1 libsodium23 fonts-dejavu-core chromium xvfb)
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
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
