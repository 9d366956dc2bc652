#!/usr/bin/env bash
# The 1,000-job batch check and the batch throughput figures, in a release build.
#   scripts/batch-1000.sh            mixed set + throughput
# 1. 1,000 mixed jobs (correct programs, syntax errors, endless loops, jams), at 1 thread and at
#    all cores: every job must end as its kind says, and both runs must give identical results.
# 2. Throughput: a typical 40-line student program running 5 emulated seconds, N jobs at
#    1 thread and at all cores (jobs per second of wall time).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin superboard
SB=target/release/superboard
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CORES="$(nproc)"

# --- 1. the mixed set --------------------------------------------------------------------
for n in $(seq 0 999); do
    case $((n % 4)) in
        0) printf '{"id":%d,"kind":"finished","program":"10 FOR I=1 TO %d:S=S+I:NEXT\\n20 PRINT S\\n","max_seconds":1}\n' "$n" "$((n % 97))" ;;
        1) printf '{"id":%d,"kind":"error","program":"10 PRINT %d\\n20 PRINT (\\n","max_seconds":1}\n' "$n" "$n" ;;
        2) printf '{"id":%d,"kind":"time_limit","program":"10 X=X+%d\\n20 GOTO 10\\n","max_seconds":1}\n' "$n" "$n" ;;
        3) printf '{"id":%d,"kind":"jam","program":"10 PRINT %d\\n20 POKE 768,2:POKE 11,0:POKE 12,3:X=USR(0)\\n","max_seconds":1}\n' "$n" "$n" ;;
    esac
done > "$WORK/mixed.raw"
# "kind" is not a job field: keep it aside and strip it from the jobs.
sed 's/"kind":"[a-z_]*",//' "$WORK/mixed.raw" > "$WORK/mixed.jsonl"
grep -o '"kind":"[a-z_]*"' "$WORK/mixed.raw" | cut -d'"' -f4 > "$WORK/expected"

"$SB" batch --threads 1 --no-wall-time "$WORK/mixed.jsonl" -o "$WORK/one.jsonl"
"$SB" batch --no-wall-time "$WORK/mixed.jsonl" -o "$WORK/all.jsonl"
cmp "$WORK/one.jsonl" "$WORK/all.jsonl" || { echo "FAIL: results differ between 1 and $CORES threads" >&2; exit 1; }
grep -o '"end":"[a-z_]*"' "$WORK/one.jsonl" | cut -d'"' -f4 > "$WORK/ends"
if ! cmp -s "$WORK/expected" "$WORK/ends"; then
    echo "FAIL: some jobs ended for the wrong reason:" >&2
    diff "$WORK/expected" "$WORK/ends" | head >&2
    exit 1
fi
echo "mixed set: 1000 jobs, every end as expected, identical at 1 and $CORES threads"

# --- 2. throughput -----------------------------------------------------------------------
JOBS="${JOBS:-200}"
program=""
for line in $(seq 1 38); do
    case $((line % 4)) in
        1) program+="$((line * 10)) A$line=$line*K+1\\n" ;;
        2) program+="$((line * 10)) IF A$((line - 1))>1000 THEN A$((line - 1))=0\\n" ;;
        3) program+="$((line * 10)) PRINT \\\"STEP\\\";K;A$((line - 2))\\n" ;;
        0) program+="$((line * 10)) K=K+1:S=S+SQR(K)\\n" ;;
    esac
done
program+="390 IF K<100000 THEN 10\\n400 PRINT S\\n"
for n in $(seq 1 "$JOBS"); do
    printf '{"id":%d,"program":"%s","max_seconds":5}\n' "$n" "$program"
done > "$WORK/typical.jsonl"
for threads in 1 "$CORES"; do
    start=$(date +%s.%N)
    "$SB" batch --threads "$threads" --no-wall-time "$WORK/typical.jsonl" -o "$WORK/typical-$threads.jsonl" 2>/dev/null
    end=$(date +%s.%N)
    ends="$(grep -o '"end":"[a-z_]*"' "$WORK/typical-$threads.jsonl" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
    awk -v n="$JOBS" -v t="$threads" -v s="$start" -v e="$end" -v ends="$ends" \
        'BEGIN { printf "typical 40-line program, 5 emulated s: %d jobs at %d thread(s): %.2f s, %.1f jobs/s (%s)\n", n, t, e - s, n / (e - s), ends }'
done
