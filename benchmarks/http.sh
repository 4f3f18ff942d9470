#!/usr/bin/env bash
# The HTTP API against the ZeroMQ path (issue 15): requests/s and p50/p99 latency of
# `POST /translate` (one text per request, JSON) at 1, 8 and 64 concurrent clients, beside the
# same texts through the pipeline's request/reply endpoints, which `/translate` itself uses.
# HTTP load: wrk (Debian's `wrk`), one thread, keep-alive connections; ZeroMQ load:
# benchmarks/zmq_load.py (Debian's python3-zmq; $ZMQ_PYTHON, default /usr/bin/python3), the same number of texts in flight. Both closed-loop for
# $SECONDS seconds (default 10) per point, in interleaved rounds ($ROUNDS, default 5; which goes first alternates); the median
# round is printed, and the median of the rounds' HTTP/ZeroMQ ratios. Model: $MODEL (default the golden gru-small; models/eng-fra-gru, the d2l GRU, for a real one),
# `up --workers $WORKERS` (default 2). Texts: the English side of data/fra-eng/test.tsv.
#
#   benchmarks/http.sh
set -euo pipefail
# Its own work folder, and no need of ../shared (pipeline-common.sh's long lines are not used here).
export BENCH_DIR=${BENCH_DIR:-/tmp/seq2seq-http-bench} FRA_TXT=${FRA_TXT:-$(cd "$(dirname "$0")/.." && pwd)/data/fra-eng/test.tsv}
source "$(dirname "$0")/pipeline-common.sh"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
model=${MODEL:-$small}
seconds=${SECONDS_PER_POINT:-10}
rounds=${ROUNDS:-5}

cut -f1 data/fra-eng/test.tsv > "$work/http-texts.txt"
cat > "$work/http-post.lua" <<LUA
local texts, n = {}, 0
for line in io.lines("$work/http-texts.txt") do
  n = n + 1
  texts[n] = line:gsub('\\\\', '\\\\\\\\'):gsub('"', '\\\\"')
end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % n + 1
  return wrk.format(nil, nil, nil, '{"q":"' .. texts[i] .. '","source":"en","target":"fr"}')
end
LUA

port=$(free_port)
requests=tcp://127.0.0.1:$(free_port)
replies=tcp://127.0.0.1:$(free_port)
start_up "$model" "${WORKERS:-2}" --http "127.0.0.1:$port" --requests "$requests" --replies "$replies"
trap stop_up EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done

# http CONCURRENCY: prints "requests/s p50 p99" of wrk's run.
http() {
    wrk -t1 -c"$1" -d"${seconds}s" --latency -s "$work/http-post.lua" "http://127.0.0.1:$port/translate" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if bad: sys.exit(f"wrk: {bad.group(1)} error responses\n{text}")
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{rate:.0f} {ms(50):.2f} {ms(99):.2f}")'
}

# zmq CONCURRENCY: the same through the request/reply endpoints.
zmq() { "${ZMQ_PYTHON:-/usr/bin/python3}" benchmarks/zmq_load.py "$requests" "$replies" "$work/http-texts.txt" "$1" "$seconds"; }

for concurrency in 1 8 64; do
    : > "$work/http-$concurrency" && : > "$work/zmq-$concurrency"
done
for round in $(seq "$rounds"); do
    for concurrency in 1 8 64; do
        # Which goes first alternates between rounds.
        if (( round % 2 )); then
            http "$concurrency" >> "$work/http-$concurrency"
            zmq "$concurrency" >> "$work/zmq-$concurrency"
        else
            zmq "$concurrency" >> "$work/zmq-$concurrency"
            http "$concurrency" >> "$work/http-$concurrency"
        fi
    done
done

echo "== /translate over HTTP against the ZeroMQ request/reply path: $(basename "$(dirname "$model")")/$(basename "$model"), ${WORKERS:-2} workers, median of $rounds rounds of ${seconds} s =="
printf '%-8s %14s %10s %10s   %14s %10s %10s   %s\n' clients "HTTP req/s" "p50 ms" "p99 ms" "ZeroMQ req/s" "p50 ms" "p99 ms" "HTTP/ZeroMQ"
for concurrency in 1 8 64; do
    python3 - "$concurrency" "$work/http-$concurrency" "$work/zmq-$concurrency" <<'PY'
import statistics, sys
def median_round(path):
    rounds = [list(map(float, line.split())) for line in open(path)]
    return sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
# The ratio is taken within each round (HTTP and ZeroMQ ran back to back there) and its median
# printed: the machine's speed drifts between rounds, and medians taken apart mix rounds.
pairs = [(float(a.split()[0]), float(b.split()[0])) for a, b in zip(open(sys.argv[2]), open(sys.argv[3]))]
ratio = statistics.median(a / b for a, b in pairs)
h, z = median_round(sys.argv[2]), median_round(sys.argv[3])
print(f"{sys.argv[1]:<8} {h[0]:14.0f} {h[1]:10.2f} {h[2]:10.2f}   {z[0]:14.0f} {z[1]:10.2f} {z[2]:10.2f}   {ratio:.2f}x")
PY
done
