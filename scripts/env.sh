# Sourced by ./deephash and ./run-tests: finds a JDK >= 25 and sets up Maven.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.

DEEPHASH_MIN_JAVA=25

# Prints the feature version (e.g. 25) of the java binary in $1/bin, or nothing.
java_major() {
    local v
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
    [ -n "$v" ] && echo "$v"
}

# Prints the home of a JDK (with javac) >= DEEPHASH_MIN_JAVA, or fails with a message.
find_jdk() {
    local candidate best="" best_v=0 v
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        v=$(java_major "$JAVA_HOME")
        if [ -n "$v" ] && [ "$v" -ge "$DEEPHASH_MIN_JAVA" ]; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -x "$candidate/bin/javac" ] || continue
        [ -L "$candidate" ] && continue
        v=$(java_major "$candidate")
        if [ -n "$v" ] && [ "$v" -ge "$DEEPHASH_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
            best="$candidate"
            best_v="$v"
        fi
    done
    if [ -z "$best" ]; then
        echo "deephash4j needs a JDK $DEEPHASH_MIN_JAVA or newer: none in \$JAVA_HOME or /usr/lib/jvm." >&2
        echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
        return 1
    fi
    echo "$best"
}

require_maven() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "deephash4j builds with Maven, which is not installed (Debian: apt-get install maven)." >&2
        return 1
    fi
}

# Maven itself runs on the JDK found; silence its own JDK 25 warnings about sun.misc.Unsafe.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# Runs Maven with the given arguments, without the colour escape codes it prints even in batch mode
# (they would litter logs); keeps its exit status.
maven() {
    mvn -B -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
    return "${PIPESTATUS[0]}"
}
