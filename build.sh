#!/usr/bin/env bash
# Starts the pipeline: ./build.sh --target=<Task> [--env=local|dev|staging|prod] [--dryrun] [--tree] [--verbosity=…]
# Rebuilds the pipeline only when one of its inputs is newer than the built Build.dll: `dotnet run` spends
# about two seconds on MSBuild's up-to-date check on every start; comparing timestamps takes milliseconds.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
dll="$root/build/Build/bin/Debug/net10.0/Build.dll"
inputs=("$root/build/Build" "$root/build/Cake.props" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json")
if [[ ! -f "$dll" ]] || [[ -n "$(find "${inputs[@]}" \( -name bin -o -name obj \) -prune -o -type f -newer "$dll" -print -quit)" ]]; then
  dotnet build "$root/build/Build/Build.csproj" --nologo --verbosity quiet -clp:NoSummary >&2
  # MSBuild may keep an unchanged assembly's old timestamp; touching it ends the rebuild check for these inputs.
  touch "$dll"
fi
exec dotnet "$dll" "$@"
