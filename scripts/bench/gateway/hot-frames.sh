#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples (jdk.ExecutionSample): which threads were on CPU, the
# hottest methods (top of stack), and the share of samples inside a few parts of the gateway
# (anywhere on the stack). Usage: hot-frames.sh recording.jfr [top-n]
set -euo pipefail
file="$1"
top="${2:-20}"
jfr print --stack-depth 96 --events jdk.ExecutionSample "$file" | awk -v top="$top" '
  function flush() {
    if (!inSample) return
    total++
    threads[thread]++
    if (first != "") self[first]++
    for (p in seen) parts[p]++
    delete seen
    inSample = 0
  }
  /^jdk.ExecutionSample/ { flush(); inSample = 1; first = ""; thread = ""; depth = 0; next }
  /sampledThread = / {
    thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread)
    gsub(/-[0-9]+$/, "-N", thread); gsub(/ \| producer-[0-9]+/, "", thread); gsub(/adminclient-[0-9]+/, "adminclient", thread)
    next
  }
  /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\.[a-zA-Z_$<][^ ]*\(/ {
    frame = $0; sub(/^[ \t]+/, "", frame); sub(/[ \t]+line:.*/, "", frame)
    if (first == "") first = frame
    if (frame ~ /EventCodec\.decode\(/) seen["EventCodec.decode (parse + validate)"] = 1
    if (frame ~ /EventCodec\.encode\(/) seen["EventCodec.encode (canonical record value)"] = 1
    if (frame ~ /^org\.iotpipeline\.gateway\./) seen["gateway code (incl. what it calls)"] = 1
    if (frame ~ /KafkaProducer\.doSend/) seen["Kafka: producer.send on the caller thread"] = 1
    if (frame ~ /producer\.internals\.Sender\.run/) seen["Kafka: producer I/O thread (Sender)"] = 1
    if (frame ~ /NetworkClient\.poll/) seen["Kafka: I/O thread network poll"] = 1
    if (frame ~ /completeFutureAndFireCallbacks/) seen["Kafka: completion callbacks (incl. ours)"] = 1
    if (frame ~ /[Ll]z4|LZ4|XXHash/) seen["Kafka: lz4 compression"] = 1
    if (frame ~ /^akka\.http\.impl\.engine/) seen["akka-http engine (parsing, rendering, connections)"] = 1
    if (frame ~ /^akka\.http\.(scaladsl|javadsl)\.server/) seen["akka-http routing DSL"] = 1
    if (frame ~ /^io\.micrometer/) seen["Micrometer"] = 1
    if (frame ~ /orTimeout|CompletableFuture\$Delayer/) seen["per-request timeout (orTimeout)"] = 1
    if (frame ~ /^sun\.nio\.ch|^java\.nio/) seen["NIO (sockets, selectors)"] = 1
    next
  }
  END {
    flush()
    printf "%d CPU samples\n\nBy thread:\n", total
    for (t in threads) printf "  %5.1f%%  %s\n", 100 * threads[t] / total, t | "sort -rn"
    close("sort -rn")
    printf "\nSamples with these on the stack:\n"
    for (p in parts) printf "  %5.1f%%  %s\n", 100 * parts[p] / total, p | "sort -rn"
    close("sort -rn")
    printf "\nHottest methods (top of stack):\n"
    for (f in self) printf "  %5.1f%%  %s\n", 100 * self[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
  }'
