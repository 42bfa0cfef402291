#!/usr/bin/env bash
# Installs what CogLtx needs on a fresh Debian machine with the .NET 10 SDK: OpenBLAS (optional, for speed;
# the managed GEMM is used without it) and the NuGet packages; then builds the cogltx tool in Release.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ldconfig -p 2>/dev/null | grep -q libopenblas.so.0; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas0-pthread) \
    || echo "warning: could not install libopenblas0-pthread; falling back to the managed GEMM" >&2
fi
log=$(mktemp)
if ! dotnet build src/Cli -c Release -o "${COGLTX_BIN:-bin}" -nologo >"$log" 2>&1; then
  grep -E ': (error|warning) ' "$log" | sort -u >&2 || true
  echo "setup: the build of src/Cli failed (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "built ${COGLTX_BIN:-bin}/cogltx"
