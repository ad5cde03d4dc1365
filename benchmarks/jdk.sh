# Sourced by the benchmark scripts (the caller defines say()): finds a JDK 25 or newer, JAVA_HOME first, then
# /usr/lib/jvm (the machine's default java may be 17), and sets JDK and JAVA; exits naming what to set if none.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_jdk() {
    local c
    for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25* /usr/lib/jvm/*; do
        if [[ -n "$c" && -x "$c/bin/java" ]]; then
            local v
            v="$(java_major "$c/bin/java" || true)"
            if [[ -n "$v" && "${v%%.*}" -ge 25 ]]; then
                echo "$c"
                return 0
            fi
        fi
    done
    return 1
}

if ! JDK="$(find_jdk)"; then
    say "no JDK 25 or newer found (set JAVA_HOME; looked in /usr/lib/jvm)"
    exit 1
fi
JAVA="$JDK/bin/java"
