#!/usr/bin/env bash
# Make the sample traces in resources/traces: compile each program of resources/traces/programs,
# run it under Valgrind's lackey tool, and keep the memory trace gzip-compressed.
#   scripts/make-sample-traces.sh            # all of them
#   scripts/make-sample-traces.sh sort       # one
# Needs valgrind and a C compiler (apt-get install valgrind gcc). The traces depend on the compiler,
# the C library and valgrind's version, so another machine makes other (equally real) traces;
# the notebook resources/notebooks/real-traces.accentlab records the SHA-256 of the ones it used.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
programs=resources/traces/programs
out=resources/traces
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

names=("$@")
if [ ${#names[@]} -eq 0 ]; then names=(sort interpreter server); fi

for name in "${names[@]}"; do
  cc -O1 -o "$build/$name" "$programs/$name.c"
  valgrind --tool=lackey --trace-mem=yes --log-file="$build/$name.trace" "$build/$name" >/dev/null
  # -n: no file name or time stamp in the gzip header, so the same trace gives the same file.
  gzip -n -9 -c "$build/$name.trace" >"$out/$name.trace.gz"
  echo "$out/$name.trace.gz: $(wc -l <"$build/$name.trace") lines, $(wc -c <"$out/$name.trace.gz") bytes compressed"
done
