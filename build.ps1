dotnet run --project "$PSScriptRoot/build/Build/Build.csproj" -- @args; exit $LASTEXITCODE
