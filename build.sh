#!/usr/bin/env bash
exec dotnet run --project "$(dirname "$0")/build/Build/Build.csproj" -- "$@"
