#!/usr/bin/env bash
# Benchmark for the Orders API (issue 2): builds Release binaries of release 3 and release 1, starts a throwaway
# PostgreSQL, runs the load, and rewrites the "## App (issue 2)" section of docs/BENCHMARKS.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/orders-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
dotnet build app/Orders.Api -c Release -p:AppRelease=1 -o "$work/r1" -nologo -v quiet
dotnet build app/Orders.Api -c Release -p:AppRelease=3 -o "$work/r3" -nologo -v quiet
dotnet run -c Release --project app/Orders.Bench -- --r3 "$work/r3" --r1 "$work/r1" --out docs/BENCHMARKS.md --command "bash app/bench/run.sh"
