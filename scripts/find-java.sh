# Sourced by ./portunus and ./run-tests: sets JAVA_HOME to a JDK >= 21, or exits saying what is missing.
# Looks at $JAVA_HOME, then the java on PATH, then every JDK under /usr/lib/jvm (newest first).
java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
portunus_find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  local c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "portunus: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*)." >&2
  echo "portunus: install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 25, or set JAVA_HOME." >&2
  exit 1
}
portunus_find_java
