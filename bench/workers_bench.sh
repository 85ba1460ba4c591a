#!/usr/bin/env bash
# Throughput of the scale-out path, on one generated corpus (default 10,000 articles):
# one process on SQLite, one process on PostgreSQL, then 1 and 2 workers pulling from NATS
# JetStream into PostgreSQL. PostgreSQL runs with its durable defaults (fsync on), its own
# throwaway server (scripts/postgres), and nats-server with file storage.
#   bench/workers_bench.sh [--articles N] [--khabar build/khabar] [--workers "1 2"] [--no-entities]
# Prints articles/s, peak memory and, per worker, where its time went. A measurement, not a
# test: it passes whatever the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
khabar=build/khabar articles=10000 counts="1 2" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=$2; shift 2 ;;
    --khabar) khabar=$2; shift 2 ;;
    --workers) counts=$2; shift 2 ;;
    --no-entities) extra+=(--no-entities); shift ;;
    *) echo "workers_bench: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v nats-server >/dev/null || { echo "workers_bench: needs nats-server" >&2; exit 2; }
work=$(mktemp -d)
chmod 755 "$work"
export KHABAR_PG_DIR=$work/pg KHABAR_PG_PORT=25439
cleanup() {
  kill "${nats:-0}" 2>/dev/null || true
  scripts/postgres stop
  rm -rf "$work"
}
trap cleanup EXIT

"$khabar" bench --articles "$articles" --seed 5 --write-corpus "$work/corpus.jsonl" >/dev/null
pg=$(scripts/postgres start --durable)
nats_port=14239
nats-server -js -a 127.0.0.1 -p $nats_port -sd "$work/js" >"$work/nats.log" 2>&1 &
nats=$!
sleep 1
url=nats://127.0.0.1:$nats_port

schema() {
  psql -q "$pg" -c "CREATE SCHEMA $1" >/dev/null
  echo "$pg?options=-csearch_path%3D$1"
}
rate() { python3 -c "print(f'{$1 / $2:,.0f}')"; }

echo "corpus: $articles generated articles ($(du -h "$work/corpus.jsonl" | cut -f1))${extra:+, ${extra[*]}}"
for target in sqlite postgresql; do
  if [ $target = sqlite ]; then db=$work/one.db; else db=$(schema one); fi
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$khabar" --db "$db" ingest --quiet "${extra[@]}" \
    "$work/corpus.jsonl" >/dev/null
  seconds=$(python3 -c "print($(date +%s.%N) - $start)")
  printf "one process, %-10s %6.1f s  %8s articles/s  peak %s MiB\n" "$target:" "$seconds" \
    "$(rate "$articles" "$seconds")" "$(($(cat "$work/rss") / 1024))"
done

for n in $counts; do
  db=$(schema "w$n")
  stream=W$n
  "$khabar" publish --nats $url --stream $stream --subject "w$n.articles" "$work/corpus.jsonl" >/dev/null
  start=$(date +%s.%N)
  pids=()
  for i in $(seq "$n"); do
    /usr/bin/time -f "%M" -o "$work/rss$n.$i" "$khabar" --db "$db" worker --nats $url \
      --stream $stream --subject "w$n.articles" --name "w$i" --exit-when-idle 1 "${extra[@]}" \
      >"$work/out$n.$i" 2>"$work/err$n.$i" &
    pids+=($!)
  done
  # Drained: nothing left in the stream, nothing in a worker's hands. Polled every half second
  # and read without starting a Python, so that watching costs the workers little CPU.
  while true; do
    state=$("$khabar" --db "$db" status --json --nats $url --stream $stream --consumer khabar-workers)
    [[ $state =~ \"messages\":\ ?0[,}] && $state =~ \"ack_pending\":\ ?0[,}] ]] && break
    sleep 0.5
  done
  seconds=$(python3 -c "print($(date +%s.%N) - $start)")
  wait "${pids[@]}"
  printf "%d worker%s (PostgreSQL): %6.1f s  %8s articles/s\n" "$n" "$([ "$n" = 1 ] || echo s)" \
    "$seconds" "$(rate "$articles" "$seconds")"
  for i in $(seq "$n"); do
    # time(1) writes "Command exited with non-zero status N" above the figure when one fails.
    if [ "$(wc -l <"$work/rss$n.$i")" -gt 1 ]; then
      echo "  w$i failed: $(head -1 "$work/rss$n.$i"); its last words:"
      tail -3 "$work/err$n.$i" | sed 's/^/    /'
      continue
    fi
    echo "  w$i, peak $(($(cat "$work/rss$n.$i") / 1024)) MiB: $(tail -1 "$work/out$n.$i")"
  done
done
