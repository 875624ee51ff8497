#!/bin/sh
# Regenerates the bindings with jextract from include/panama_ipc.h into target/jextract/src and
# compiles them into target/jextract/classes, so they can be compared with bindings/ by hand
# (javap, diff). Run through `mvn -Pjextract verify`. Needs jextract on the PATH; no package
# registry serves it, so the default build never runs this.
set -eu
cd "$(dirname "$0")/.."
if ! command -v jextract >/dev/null 2>&1; then
    echo "jextract profile: jextract is not on the PATH; install it from https://jdk.java.net/jextract/ and retry" >&2
    exit 1
fi
rm -rf target/jextract
mkdir -p target/jextract/src target/jextract/classes
jextract --output target/jextract/src @jextract/panama_ipc.args include/panama_ipc.h
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
find target/jextract/src -name '*.java' > target/jextract/sources.txt
"$JAVAC" --release 25 -d target/jextract/classes @target/jextract/sources.txt
echo "jextract: generated $(wc -l < target/jextract/sources.txt) classes into target/jextract"
