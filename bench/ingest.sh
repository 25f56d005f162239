#!/usr/bin/env bash
# The HTTP ingest benchmark (a command, not a timed test): the readings CSV of ../shared/bench
# posted to `POST /ingest/builtin/readings-csv` in batches, by 1 and 4 clients, against
# `citykg load` of the same triples as N-Triples. Prints observations/s, quads/s, peak memory.
#
#   bash bench/ingest.sh [OBSERVATIONS] [BATCH...]     # default 100000, batches 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
shared="${CITYKG_SHARED:-$root/../shared}"
target="${CARGO_TARGET_DIR:-$root/target}"
n="${1:-100000}"; shift || true
batches=("${@:-1000 10000}")
read -r -a batches <<< "${batches[*]}"
data="$target/bench-data/$n"
[ -f "$data/manifest.json" ] || python3 "$shared/bench/gen.py" --observations "$n" --out "$data" > /dev/null
cargo build --release --locked --quiet
citykg="$target/release/citykg"
secret="bench-ingest-secret"
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT

# The same triples as N-Triples, for the bulk-load reference: what the built-in mapping makes.
"$citykg" map --mapping "$root/mappings/builtin/readings-csv.yml" --input payload.csv="$data/readings.csv" -o "$work/readings.nt" 2> /dev/null
quads=$(wc -l < "$work/readings.nt")
start=$(date +%s.%N)
"$citykg" load --location "$work/load" --graph http://bench/graph "$work/readings.nt" > /dev/null 2>&1
load_s=$(echo "$(date +%s.%N) - $start" | bc)
printf "machine: %s cores; %s observations, %s quads per full ingest\n" "$(nproc)" "$n" "$quads"
printf "citykg load (N-Triples, named graph): %.2f s, %.0f quads/s\n" "$load_s" "$(echo "$quads / $load_s" | bc -l)"
printf "%-8s %-8s %10s %14s %14s %10s %8s\n" batch clients seconds observations/s quads/s "peak MB" "vs load"
for batch in "${batches[@]}"; do
    rm -rf "$work/split"; mkdir -p "$work/split"
    tail -n +2 "$data/readings.csv" | split -l "$batch" -d -a 5 - "$work/split/part-"
    header=$(head -1 "$data/readings.csv")
    for f in "$work/split"/part-*; do { echo "$header"; cat "$f"; } > "$f.csv"; rm "$f"; done
    for clients in 1 4; do
        rm -rf "$work/store"
        CITYKG_ADMIN_TOKEN="$secret" RUST_LOG=warn "$citykg" serve --location "$work/store" --bind 127.0.0.1:7791 > "$work/serve.log" 2>&1 &
        server=$!
        for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:7791/health && break; sleep 0.1; done
        start=$(date +%s.%N)
        ls "$work/split"/*.csv | xargs -P "$clients" -I{} curl -sf -o /dev/null -X POST \
            -H "Authorization: Bearer $secret" -H 'Content-Type: text/csv' --data-binary @{} \
            http://127.0.0.1:7791/ingest/builtin/readings-csv
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
        stored=$(curl -sf -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) { GRAPH <http://127.0.0.1:7791/graph/source/builtin/readings-csv> { ?s ?p ?o } }' http://127.0.0.1:7791/query | tail -1 | tr -d '\r')
        kill "$server"; wait "$server" 2>/dev/null || true; server=""
        printf "%-8s %-8s %10.2f %14.0f %14.0f %10.0f %7.2fx\n" "$batch" "$clients" "$seconds" \
            "$(echo "$n / $seconds" | bc -l)" "$(echo "$stored / $seconds" | bc -l)" "$(echo "$peak_kb / 1024" | bc -l)" \
            "$(echo "($stored / $seconds) / ($quads / $load_s)" | bc -l)"
        [ "$stored" = "$quads" ] || echo "  stored $stored quads, expected $quads"
    done
done
