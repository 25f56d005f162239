#!/usr/bin/env bash
# The SPARQL benchmark (a command, not a timed test). Generates the shared workload, turns it into
# N-Triples, bulk-loads it into citykg (and into `oxigraph` when that CLI is on PATH, the peer),
# then times ../shared/bench/queries in process and over HTTP and measures requests/s under load.
#
#   bash bench/run.sh [OBSERVATIONS]        # default 100000; 1000000 for the large figures
#
# Peer: `cargo install oxigraph-cli --version 0.5.13 --no-default-features --features geosparql,rdf-12`
# (PEERS.md's build). Without it, the peer columns print "-".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
shared="${CITYKG_SHARED:-../shared}"
target="${CARGO_TARGET_DIR:-target}"
data="${CITYKG_BENCH_DATA:-$target/bench-data/$n}"

[ -f "$data/manifest.json" ] || python3 "$shared/bench/gen.py" --observations "$n" --out "$data"
[ -f "$data/city.nt" ] || python3 bench/to_ntriples.py "$data"
cargo build --release --locked --quiet

timed() { # prints wall seconds and peak RSS of a command
    /usr/bin/time -f "  %e s wall, %M KB peak RSS" "$@"
}

echo "## Bulk load of $(wc -l < "$data/city.nt") triples (N-Triples)"
rm -rf "$data/citykg"
echo "citykg load:"
timed "$target/release/citykg" load --location "$data/citykg" --graph "http://citykg.test/graph/source/bench" "$data/city.nt"
peer_url=""
if command -v oxigraph >/dev/null; then
    rm -rf "$data/oxigraph"
    echo "oxigraph load:"
    timed oxigraph load --location "$data/oxigraph" --file "$data/city.nt"
    oxigraph serve-read-only --location "$data/oxigraph" --bind 127.0.0.1:7878 >/dev/null 2>&1 &
    peer_pid=$!
    trap 'kill $peer_pid 2>/dev/null || true' EXIT
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:7878/query?query=ASK%7B%7D" && break; sleep 0.2; done
    peer_url="http://127.0.0.1:7878/query"
fi

echo
echo "## Query latency ($n observations)"
RUST_LOG=warn cargo bench --locked --quiet --bench sparql -- \
    --location "$data/citykg" --queries "$shared/bench/queries" ${peer_url:+--peer "$peer_url"}

# Throughput the way PEERS.md measured it: wrk, 1 thread, 4 connections, 10 s, GET of the query.
if command -v wrk >/dev/null; then
    RUST_LOG=warn "$target/release/citykg" serve --location "$data/citykg" --bind 127.0.0.1:7879 \
        --base-iri http://citykg.test/ --query-timeout 600 >/dev/null 2>&1 &
    ours_pid=$!
    trap 'kill $ours_pid ${peer_pid:-} 2>/dev/null || true' EXIT
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:7879/health" && break; sleep 0.2; done
    rps() { # url query-file accept
        local q
        q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read()))' "$2")
        wrk -t1 -c4 -d10s -H "Accept: $3" "$1?query=$q" | awk '/Requests\/sec/ {print $2}'
    }
    echo
    echo "## Throughput (wrk -t1 -c4 -d10s, GET)"
    echo
    echo "| query | citykg requests/s | oxigraph serve requests/s |"
    echo "| --- | --- | --- |"
    for q in 05-construct-sensor:application/n-triples 01-pm25-mean-per-district-day:application/sparql-results+json; do
        file="$shared/bench/queries/${q%%:*}.rq"
        ours=$(rps http://127.0.0.1:7879/query "$file" "${q#*:}")
        peer="-"
        [ -n "$peer_url" ] && peer=$(rps "$peer_url" "$file" "${q#*:}")
        echo "| ${q%%:*} | $ours | $peer |"
    done
    echo
    echo "Resident memory after the load: citykg $(ps -o rss= -p $ours_pid) KB${peer_pid:+, oxigraph $(ps -o rss= -p $peer_pid) KB}"
fi
