#!/usr/bin/env bash
# The catalogue benchmark (a command, not a timed test): 10,000 generated use cases; feed page
# p50/p95 over HTTP, a full harvest through Hydra paging, a modified_since harvest after 100
# changes. Extra arguments go to the benchmark (--use-cases N --page-size N --changes N).
#
#   bash bench/catalog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked --bench catalog -- "$@"
