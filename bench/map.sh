#!/usr/bin/env bash
# The mapping benchmark (a command, not a timed test): each vendor format of ../shared/bench,
# mapped by `citykg map` and, in the same run and interleaved, by the peers (Morph-KGC, RocketRML)
# on the same RML. Prints wall time, triples/s and peak RSS (median of RUNS runs, whole process).
#
#   bash bench/map.sh [OBSERVATIONS...]          # default 100000; e.g. 100000 1000000
#
# Peers (skipped with a message when absent):
#   MORPH_KGC=/path/to/venv/bin/python   (pip install morph-kgc==2.10.0)
#   ROCKETRML_DIR=/path/to/folder        (npm install rocketrml@2.1.2 in it)
# RUNS (default 3), FORMATS (default "ttn ngsiv2 csv").
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
shared="${CITYKG_SHARED:-$root/../shared}"
target="${CARGO_TARGET_DIR:-$root/target}"
runs="${RUNS:-3}"
formats="${FORMATS:-ttn ngsiv2 csv}"
sizes=("${@:-100000}")
cargo build --release --locked --quiet
citykg="$target/release/citykg"
rml="$shared/bench/rml"

input_of() { case "$1" in ttn) echo ttn.json ;; ngsiv2) echo ngsiv2.json ;; csv) echo readings.csv ;; esac; }

# measure NAME CMD...: one run; appends "seconds kb triples" to $results/NAME.
measure() {
    local name="$1"; shift
    local out="$work/out.nt" stats="$work/time.txt"
    rm -f "$out"
    if /usr/bin/time -f "%e %M" -o "$stats" "$@" > "$work/stdout" 2> "$work/stderr"; then
        local triples
        if [ -s "$out" ]; then triples=$(wc -l < "$out"); else triples=$(grep -o '^[0-9]* quads' "$work/stderr" | cut -d' ' -f1); fi
        echo "$(tail -1 "$stats") ${triples:-0}" >> "$results/$name"
    else
        echo "  $name failed: $(tail -3 "$work/stderr" | tr '\n' ' ')" >&2
        echo "fail fail 0" >> "$results/$name"
    fi
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }

printf "machine: %s cores, %s; citykg %s\n" "$(nproc)" "$(free -h | awk '/Mem:/ {print $2}')" "$("$citykg" --version)"
printf "%-8s %-9s %-10s %9s %12s %9s %10s\n" size format tool seconds triples/s "peak MB" triples
for n in "${sizes[@]}"; do
    data="$target/bench-data/$n"
    [ -f "$data/manifest.json" ] || python3 "$shared/bench/gen.py" --observations "$n" --out "$data" > /dev/null
    expected=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['triples']['expected_total_per_format'])" "$data/manifest.json" 2>/dev/null || echo "?")
    for format in $formats; do
        work=$(mktemp -d); results="$work/results"; mkdir -p "$results"
        cat "$rml/legacy/sensors.rml.ttl" "$rml/legacy/$format.rml.ttl" > "$work/legacy.ttl"
        printf "[CONFIGURATION]\noutput_file = %s\n[CitySensors]\nmappings = %s,%s\n" \
            "$work/out.nt" "$rml/sensors.rml.ttl" "$rml/$format.rml.ttl" > "$work/morph.ini"
        for _ in $(seq "$runs"); do
            measure citykg "$citykg" map --mapping "$rml/sensors.rml.ttl" --mapping "$rml/$format.rml.ttl" \
                --source-dir "$data" -o "$work/out.nt"
            if [ -n "${ROCKETRML_DIR:-}" ]; then
                (cd "$data" && NODE_PATH="$ROCKETRML_DIR/node_modules" measure rocketrml node --max-old-space-size=16000 "$root/bench/rocketrml.js" "$work/legacy.ttl" "$work/out.nt")
            fi
            if [ -n "${MORPH_KGC:-}" ] && [ "$format" = csv -o "$n" -le 100000 ]; then
                (cd "$data" && measure morph-kgc "$MORPH_KGC" -m morph_kgc "$work/morph.ini")
            fi
        done
        for tool in citykg rocketrml morph-kgc; do
            [ -s "$results/$tool" ] || continue
            seconds=$(cut -d' ' -f1 "$results/$tool" | median)
            kb=$(cut -d' ' -f2 "$results/$tool" | median)
            triples=$(cut -d' ' -f3 "$results/$tool" | median)
            rate=$(awk -v t="$triples" -v s="$seconds" 'BEGIN { if (s+0 > 0) printf "%.0f", t/s; else print "-" }')
            mb=$(awk -v k="$kb" 'BEGIN { if (k+0 > 0) printf "%.0f", k/1024; else print "-" }')
            printf "%-8s %-9s %-10s %9s %12s %9s %10s\n" "$n" "$format" "$tool" "$seconds" "$rate" "$mb" "$triples"
        done
        echo "  (expected triples: $expected)"
        rm -rf "$work"
    done
done
[ -n "${ROCKETRML_DIR:-}" ] || echo "RocketRML skipped: set ROCKETRML_DIR to a folder with rocketrml installed (npm install rocketrml@2.1.2)"
[ -n "${MORPH_KGC:-}" ] || echo "Morph-KGC skipped: set MORPH_KGC to a Python with morph-kgc installed (pip install morph-kgc==2.10.0)"
