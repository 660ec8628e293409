# Sourced by scripts/jconv and scripts/gpu-bundle.sh: the path of the shaded CLI jar, built with Maven when it is
# missing or older than anything that goes into it (the library and CLI sources, the kernels, the poms, and the
# workload and torch-bench.py, which are jar resources too).
#   cli_jar ROOT LABEL    prints the jar's path; exits 2 with one line on stderr when the build fails
cli_jar() {
  local root="$1" label="$2"
  local jar="$root/src/jconv-cli/target/jconv-cli.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/src/jconv/main" "$root/src/jconv-cli/main" "$root/opencl-kernels" \
      "$root/pom.xml" "$root/src/jconv/pom.xml" "$root/src/jconv-cli/pom.xml" \
      "$root/scripts/workload.csv" "$root/scripts/torch-bench.py" -newer "$jar" -print -quit)" ]; then
    echo "$label: building $jar (mvn package: first run, or sources changed)..." >&2
    if ! (cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package >"$root/target.build.log" 2>&1); then
      echo "$label: error: the build failed, see $root/target.build.log" >&2
      exit 2
    fi
    rm -f "$root/target.build.log"
  fi
  printf '%s\n' "$jar"
}
