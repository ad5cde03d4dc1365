#!/usr/bin/env bash
# The test suite's outside programs: real servers and real clients, never mocks. Run by the build before any module
# (root pom, validate phase), so `./mvnw verify` on a fresh Debian machine sets itself up. Cheap when all are present.
# Without root it cannot install; it says what is missing and the tests that need it fail naming the package.
set -uo pipefail

# command -> Debian package
declare -A NEEDED=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [mariadbd]=mariadb-server
  [mariadb-install-db]=mariadb-server
  [chromium]=chromium
  [curl]=curl
  [openssl]=openssl
)
# Python peers are modules, not commands: module -> Debian package
declare -A PY_NEEDED=(
  [httpx]=python3-httpx
  [websockets]=python3-websockets
)

missing=()
for cmd in "${!NEEDED[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ] && [ ! -x "/usr/bin/$cmd" ]; then
    missing+=("${NEEDED[$cmd]}")
  fi
done
if command -v /usr/bin/python3 >/dev/null 2>&1; then
  for mod in "${!PY_NEEDED[@]}"; do
    /usr/bin/python3 -c "import $mod" >/dev/null 2>&1 || missing+=("${PY_NEEDED[$mod]}")
  done
else
  missing+=(python3 "${PY_NEEDED[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: missing Debian packages: ${missing[*]} (not root, so not installed: sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "install-test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/spindle-install-test-deps.log 2>&1; then
  echo "install-test-deps: apt-get install ${missing[*]} failed; see /tmp/spindle-install-test-deps.log" >&2
fi
exit 0
