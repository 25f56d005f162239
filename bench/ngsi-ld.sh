#!/usr/bin/env bash
# The NGSI-LD benchmark (a command, not a timed test): a release build of citykg on an on-disk
# store, loaded over loopback by client threads of the same process: batch upserts of 100
# entities, single-attribute updates, retrieval by id, queries by type with q over 10,000
# entities, and notification latency. Extra arguments go to the benchmark (--entities N
# --batch N --clients N --seconds N --notifications N).
#
#   bash bench/ngsi-ld.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked --bench ngsi_ld -- "$@"
