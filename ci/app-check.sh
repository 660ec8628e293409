#!/usr/bin/env bash
# jconv used as a library by an application outside its build, as a user would: ci/app/com/example/App.java (the seed
# example) compiled with plain javac against the installed jconv jar and the dependency list Maven resolves for it, then
# run with no JVM flags at all. It must end by itself within 10 s (daemon worker threads), print both results, and
# print the start-up line on stderr (no SLF4J provider on the class path) naming the device and the faster paths off.
# Needs `mvn install` to have run (ci/test.sh's first pass installs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The dependency list a user's build gets for dev.jconv:jconv, resolved from the local repository like any dependency.
cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId><artifactId>app</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>dev.jconv</groupId><artifactId>jconv</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
(cd "$work" && mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$work/classpath" >"$work/mvn.log" 2>&1) \
  || { cat "$work/mvn.log" >&2; echo "app-check: error: Maven could not resolve dev.jconv:jconv:$version (run mvn install first)" >&2; exit 1; }
classpath="$(cat "$work/classpath")"
case "$classpath" in
  *logback*|*xchart*|*onnxruntime*) echo "app-check: error: the library drags CLI dependencies in: $classpath" >&2; exit 1 ;;
esac

mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$classpath" ci/app/com/example/App.java
status=0
timeout 10 java -cp "$work/classes:$classpath" com.example.App >"$work/out" 2>"$work/err" || status=$?
cat "$work/out"
cat "$work/err" >&2
if [ "$status" -ne 0 ]; then
  echo "app-check: error: the application exited with $status (124: still running after 10 s)" >&2
  exit 1
fi
grep -q '^conv2d \[1, 64, 8, 8\] sum ' "$work/out" && grep -q '^convTranspose2d \[1, 64, 32, 32\] sum ' "$work/out" \
  || { echo "app-check: error: the application did not print both results" >&2; exit 1; }
grep -q '^jconv device: .*Java kernel: ' "$work/err" \
  || { echo "app-check: error: no start-up line on stderr" >&2; exit 1; }
echo "app-check: the application ran with no JVM flags, ended by itself and printed the device line"
