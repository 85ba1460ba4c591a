#!/usr/bin/env bash
# The HTTP API under load, on loopback: story listing, a story page, search and an entity, with
# wrk (Debian's wrk) against `khabar serve` over N synthetic articles (default 10,000).
#   bench/load_test.sh [--articles N] [--khabar build/khabar] [--seconds 10] [--connections 16]
# Prints wrk's requests/s and latency percentiles (p50 ... p99) per route, then the time of five
# one-article POSTs. A measurement, not a test: it passes whatever the numbers.
set -euo pipefail
khabar=build/khabar articles=10000 seconds=10 connections=16 threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=$2; shift 2 ;;
    --khabar) khabar=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "load_test: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "load_test: needs wrk (apt-get install wrk)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$khabar" bench --articles "$articles" --write-corpus "$work/corpus.jsonl" >/dev/null
/usr/bin/time -f "ingest: %e s, peak %M KiB" "$khabar" --db "$work/k.db" ingest --quiet "$work/corpus.jsonl"
"$khabar" --db "$work/k.db" serve --listen 127.0.0.1:0 --token load-test 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | cut -d: -f3 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
story=$(curl -s "$base/api/stories?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stories"][0]["id"])')
word=$(curl -s "$base/api/stories/$story" | python3 -c 'import json,sys; print((json.load(sys.stdin)["title"] or "خبر").split()[0])')
entity=$(curl -s "$base/api/stories/$story" | python3 -c '
import json,sys
ids=[e["id"] for e in json.load(sys.stdin)["facts"]["entities"] if e.get("id")]
print(ids[0] if ids else 1)')
query=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$word")
cursor=$(curl -s "$base/api/stories?limit=20" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
echo "$articles articles; story $story; search «$word»; entity $entity; ${connections} connections, ${seconds} s each"
for route in "/api/stories?limit=20" "/api/stories?limit=20&cursor=$cursor" "/api/search?q=$query" \
             "/api/stories/$story" "/api/entities/$entity" "/healthz"; do
  echo "== GET $route"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base$route" |
    grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
done
echo "== POST /api/articles, one article each (the first loads the store's indexes)"
for i in 1 2 3 4 5; do
  body=$(python3 -c 'import json,sys; print(json.dumps({"text": "أعلنت وزارة الصحة اليوم افتتاح مركز صحي جديد في مدينة حماة رقم " + sys.argv[1] + " يخدم آلاف السكان ويضم أقساما للطوارئ والأطفال.", "source": "سانا", "published": "2023-01-0" + sys.argv[1]}))' "$i")
  curl -s -o /dev/null -w "  POST $i: %{time_total} s\n" -H 'Content-Type: application/json' -H 'Authorization: Bearer load-test' \
    --data "$body" "$base/api/articles"
done
