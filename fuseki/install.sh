#!/usr/bin/env bash
# Fetch the pinned jena-fuseki-server jar through Maven into a cache directory and verify it.
# Idempotent: a cached jar with the right checksum is kept. Prints the jar's path on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=/dev/null
source <(grep -E '^[A-Z0-9_]+=' "$here/VERSION")
cache="${MODELLAKE_FUSEKI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modellake/fuseki}"
jar="$cache/jena-fuseki-server-$JENA_VERSION.jar"

verify() { echo "$JAR_SHA256  $1" | sha256sum --check --status; }

if [[ -f "$jar" ]] && verify "$jar"; then
  echo "$jar"
  exit 0
fi

command -v mvn >/dev/null || { echo "install.sh: Maven (mvn) is needed to fetch Fuseki" >&2; exit 1; }
command -v java >/dev/null || { echo "install.sh: Java 17+ is needed to run Fuseki" >&2; exit 1; }
mkdir -p "$cache"
echo "fetching org.apache.jena:jena-fuseki-server:$JENA_VERSION through Maven …" >&2
if ! mvn -q -B dependency:copy \
      -Dartifact="org.apache.jena:jena-fuseki-server:$JENA_VERSION" \
      -DoutputDirectory="$cache" -Dmdep.overWriteReleases=true >&2; then
  echo "install.sh: Maven could not fetch jena-fuseki-server $JENA_VERSION" >&2
  exit 1
fi
if ! verify "$jar"; then
  echo "install.sh: checksum mismatch for $jar (expected sha256 $JAR_SHA256); removing it" >&2
  rm -f "$jar"
  exit 1
fi
echo "$jar"
