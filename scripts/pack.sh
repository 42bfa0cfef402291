#!/usr/bin/env bash
# Packs the CogLtx libraries and the cogltx tool into one folder, then installs the tool from that folder alone into
# a temporary tool path and runs `cogltx --help`. Needs no network once the NuGet packages are restored (after
# scripts/setup.sh or `dotnet restore CogLtx.sln`): both steps see only the local package cache and the output folder.
#   bash scripts/pack.sh [OUT]    (OUT defaults to artifacts/packages)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts/packages}")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A NuGet configuration with no remote source: a package missing from the local cache fails instead of downloading.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="cogltx-local" value="$out" />
  </packageSources>
</configuration>
EOF

log="$work/pack.log"
if ! dotnet pack CogLtx.sln -c Release -o "$out" -nologo -p:RestoreConfigFile="$work/nuget.config" >"$log" 2>&1; then
  grep -E ': (error|warning) ' "$log" | sort -u >&2 || true
  echo "pack: dotnet pack failed (log above)" >&2
  exit 1
fi
ls "$out"/*.nupkg | sed 's|.*/|packed |' >&2

# A fresh package cache for the install, so that a CogLtx.Cli of the same version extracted by an earlier run is not
# used in place of the package just made (a tool package bundles its dependencies: it needs nothing else).
tools="$work/tools"
NUGET_PACKAGES="$work/cache" dotnet tool install --tool-path "$tools" --add-source "$out" --configfile "$work/nuget.config" CogLtx.Cli >&2
"$tools/cogltx" --help >"$work/help.txt"
if ! grep -q "experiment" "$work/help.txt"; then
  echo "pack: the installed cogltx --help does not list its commands:" >&2
  cat "$work/help.txt" >&2
  exit 1
fi
echo "pack: packages in $out; the installed tool runs (cogltx --help)" >&2
