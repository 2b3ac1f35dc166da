# Installs vpnse on Windows (run as Administrator from the folder holding vpnsed.exe, vpnsectl.exe and
# vpnse.dll, e.g. scripts/build-windows's build-windows/dist/bin):
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Prefix "C:\Program Files\vpnse"]
#       [-Wintun PATH\wintun.dll] [-Uninstall]
# Copies the programs and wintun.dll (the amd64 DLL from https://www.wintun.net; not part of this build:
# vpnsed.exe loads it from its own folder when a tunnel connects, docs/windows.md), creates %ProgramData%\vpnse\profiles with an ACL for SYSTEM and Administrators only
# (a profile may hold a clear password: this ACL is what protects it on Windows), creates the local group
# "vpnse" (its members may connect and disconnect through \\.\pipe\vpnse without elevation), registers the
# service with vpnsed.exe install (automatic start, recovery: restart after 5 s twice, reset after a day,
# 30 s pre-shutdown) and starts it. Not run under wine (docs/windows.md).
[CmdletBinding()]
param(
    [string]$Prefix = (Join-Path $env:ProgramFiles 'vpnse'),
    [string]$Wintun = (Join-Path $PSScriptRoot 'wintun.dll'),
    [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'install.ps1 must run as Administrator'
}
$data = Join-Path $env:ProgramData 'vpnse'
$daemon = Join-Path $Prefix 'vpnsed.exe'

if ($Uninstall) {
    if (Test-Path $daemon) { & $daemon uninstall }
    Remove-Item -Recurse -Force $Prefix -ErrorAction SilentlyContinue
    Write-Host "vpnse removed; profiles kept in $data"
    return
}

New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
foreach ($file in 'vpnsed.exe', 'vpnsectl.exe', 'vpnse.dll') {
    Copy-Item -Force (Join-Path $PSScriptRoot $file) $Prefix
}
if (Test-Path $Wintun) {
    Copy-Item -Force $Wintun (Join-Path $Prefix 'wintun.dll')
} else {
    Write-Warning "no wintun.dll at $Wintun; tunnels fail to connect until one is in $Prefix"
}

# Profiles and state: SYSTEM and Administrators only, not inherited from C:\ProgramData (Users may read
# there by default).
foreach ($dir in $data, (Join-Path $data 'profiles'), (Join-Path $data 'state')) {
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
}
& icacls.exe $data /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls $data failed" }

if (-not (Get-LocalGroup -Name 'vpnse' -ErrorAction SilentlyContinue)) {
    New-LocalGroup -Name 'vpnse' -Description 'May connect and disconnect vpnse tunnels' | Out-Null
}

& $daemon install
if ($LASTEXITCODE -ne 0) { throw 'vpnsed.exe install failed' }
Start-Service -Name 'vpnse'
$path = [Environment]::GetEnvironmentVariable('Path', 'Machine')
if (($path -split ';') -notcontains $Prefix) {
    [Environment]::SetEnvironmentVariable('Path', "$path;$Prefix", 'Machine')
}
Write-Host "vpnse installed in $Prefix; profiles go to $data\profiles; try: vpnsectl list"
