#!/usr/bin/env bash
# End-to-end `superboard kcs decode` of long recordings: throughput and peak memory.
#   scripts/kcs-decode-bench.sh          the 44.1 kHz 16-bit stereo WAV (about 259 MB)
#   scripts/kcs-decode-bench.sh --big    also a 1 GB mono WAV, for the peak memory
# The recordings are made here from a 40,000-byte stretch of our own programs (www/programs),
# encoded by `superboard kcs encode` and copied to both channels; they are kept in
# target/kcs-bench/ (git-ignored) for later runs. Each decode must give the program back.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin superboard
SB="$PWD/target/release/superboard"
DIR=target/kcs-bench
mkdir -p "$DIR"
RUNS="${RUNS:-7}"

if [ ! -f "$DIR/stereo.wav" ]; then
    : > "$DIR/program.bin"
    while [ "$(stat -c %s "$DIR/program.bin")" -lt 40000 ]; do cat www/programs/*.bas >> "$DIR/program.bin"; done
    truncate -s 40000 "$DIR/program.bin"
    "$SB" kcs encode "$DIR/program.bin" "$DIR/mono.wav"
    # Mono 16-bit to stereo (the same samples on both channels), with Python's standard library.
    python3 - "$DIR/mono.wav" "$DIR/stereo.wav" <<'PY'
import array, sys, wave
with wave.open(sys.argv[1], 'rb') as r:
    rate, mono = r.getframerate(), array.array('h', r.readframes(r.getnframes()))
stereo = array.array('h', bytes(4 * len(mono)))
stereo[0::2] = mono
stereo[1::2] = mono
with wave.open(sys.argv[2], 'wb') as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(rate); w.writeframes(stereo.tobytes())
PY
fi
if [ "${1:-}" = "--big" ] && [ ! -f "$DIR/big.wav" ]; then
    # About 1 GB: the mono recording over and over (each copy decodes to the same bytes).
    python3 - "$DIR/mono.wav" "$DIR/big.wav" <<'PY'
import sys, wave
with wave.open(sys.argv[1], 'rb') as r:
    rate, data = r.getframerate(), r.readframes(r.getnframes())
copies = (1 << 30) // len(data) + 1
with wave.open(sys.argv[2], 'wb') as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    for _ in range(copies):
        w.writeframes(data)
PY
fi

measure() {
    local wav="$1" size
    size=$(stat -c %s "$wav")
    cat "$wav" > /dev/null # in the page cache, as a file just recorded or copied would be
    "$SB" kcs decode "$wav" -o "$DIR/out.bin"
    if [ "$wav" = "$DIR/stereo.wav" ]; then cmp "$DIR/out.bin" "$DIR/program.bin"; fi
    local best=999 t times=()
    for _ in $(seq "$RUNS"); do
        t=$( { /usr/bin/time -f '%e %M' "$SB" kcs decode "$wav" -o "$DIR/out.bin" 2>&1 >/dev/null; } | tail -1)
        times+=("$t")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v size="$size" -v name="$wav" '
        { t[NR] = $1; m[NR] = $2 }
        END {
            med = t[int((NR + 1) / 2)]
            printf "%s: %.1f MB; wall median %.3f s (min %.3f, max %.3f) = %.2f GB/s; peak RSS %d KB\n",
                name, size / 1e6, med, t[1], t[NR], size / med / 1e9, m[NR]
        }'
}

measure "$DIR/stereo.wav"
if [ "${1:-}" = "--big" ]; then measure "$DIR/big.wav"; fi
