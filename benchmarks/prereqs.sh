# Shared by run.sh and echo.sh (sourced; the caller defines say()): finds a JDK 25+ (JDK, JAVA), names the peers'
# interpreters (PY, GO), and installs what is missing with apt-get when running as root.

# ---- prerequisites -------------------------------------------------------------------------------------------

# shellcheck source=jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"
PY=/usr/bin/python3
GO=/usr/bin/go

missing_pkgs=()
[[ -x "$PY" ]] || missing_pkgs+=(python3)
if [[ ! -x "$PY" ]] || ! "$PY" -c 'import uvloop' 2>/dev/null; then missing_pkgs+=(python3-uvloop); fi
[[ -x "$GO" ]] || missing_pkgs+=(golang)
if [[ ${#missing_pkgs[@]} -gt 0 ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing missing Debian packages: ${missing_pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y "${missing_pkgs[@]}" >&2; then
            say "apt-get install failed; updating the package lists and trying again"
            apt-get update >&2
            apt-get install -y "${missing_pkgs[@]}" >&2
        fi
    else
        say "MISSING: ${missing_pkgs[*]} (as root: apt-get install -y ${missing_pkgs[*]}); skipping what needs them"
    fi
fi

# Waits, at most WAIT_QUIET seconds (default 0: not at all), for the 1-minute load average to drop below 0.5.
wait_quiet() {
    local limit="${WAIT_QUIET:-0}" waited=0
    [[ $limit -gt 0 ]] || return 0
    while awk '{exit !($1 >= 0.5)}' /proc/loadavg && [[ $waited -lt $limit ]]; do
        [[ $waited == 0 ]] && say "waiting up to ${limit}s for the machine to go quiet (load $(cut -d' ' -f1-3 /proc/loadavg))"
        sleep 10
        waited=$((waited + 10))
    done
    return 0
}
