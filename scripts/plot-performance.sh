#!/usr/bin/env bash
# Renders the charts of docs/performance.md (docs/img/*.svg) from the figures in docs/perf-data/*.tsv.
# The .tsv files hold the medians the benchmark scripts printed (bench-gateway.sh, bench-generator.sh,
# bench-etl.sh, bench-query.sh, bench-freshness.sh); after a new benchmark run, update them and run this script.
# Needs gnuplot (Debian/Ubuntu: apt-get install gnuplot-nox); only the docs need it, not the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$ROOT/docs/perf-data"
OUT="$ROOT/docs/img"
command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot not found (Debian/Ubuntu: apt-get install gnuplot-nox)" >&2; exit 1; }
mkdir -p "$OUT"

common='set terminal svg size 860,440 dynamic font "sans,12" background "white"
set datafile separator "\t"
set style fill solid 0.85 border -1
set grid ytics lc rgb "#dddddd"
set border 3
set xtics nomirror scale 0
set ytics nomirror
set key top left horizontal
set bmargin 4'

gnuplot <<EOF
$common
set output "$OUT/ratios.svg"
set title "Each benchmark against its baseline in the same run (higher is better)"
set ylabel "ratio to baseline"
set yrange [0:1.2]
set boxwidth 0.55
set xtics font ",10"
plot "$DATA/ratios.tsv" using 0:2:xtic(1) with boxes lc rgb "#4e79a7" title "measured", \
     "" using 0:3 with points pt 7 ps 1.4 lc rgb "#e15759" title "goal", \
     "" using 0:(\$2 + 0.04):(sprintf("%.2f", \$2)) with labels font ",10" notitle
EOF

gnuplot <<EOF
$common
set output "$OUT/gateway.svg"
set title "Event gateway and its two ceilings (events/s, log scale)"
set logscale y
set yrange [10000:3000000]
set format y "%.0s%c"
set boxwidth 0.55
set xtics font ",10"
plot "$DATA/gateway.tsv" using 0:2:xtic(1) with boxes lc rgb "#4e79a7" notitle, \
     "" using 0:(\$2 * 1.25):(sprintf("%.0f", \$2)) with labels font ",10" notitle
EOF

gnuplot <<EOF
$common
set output "$OUT/etl.svg"
set title "ETL draining 2 M events on local[2] (events/s)"
set style data histogram
set style histogram clustered gap 1
set yrange [0:*]
set format y "%.0s%c"
plot "$DATA/etl.tsv" using 2:xtic(1) lc rgb "#bab0ac" title "Spark noop sink (baseline)", \
     "" using 3 lc rgb "#4e79a7" title "our exactly-once writer"
EOF

gnuplot <<EOF
$common
set output "$OUT/query.svg"
set title "Query p50, 30 days, 10.4 M rollup rows, run of 2026-12-02T04:22Z (ms, log scale; lower is better)"
set style data histogram
set style histogram clustered gap 1
set logscale y
set yrange [30:2000]
set xtics font ",10"
plot "$DATA/query.tsv" using 2:xtic(1) lc rgb "#4e79a7" title "query server (Spark SQL over HTTP)", \
     "" using 3 lc rgb "#bab0ac" title "DuckDB, same files (baseline)"
EOF

gnuplot <<EOF
$common
set output "$OUT/freshness.svg"
set title "measurements_live: 202 received -> visible once the ETL has caught up, per ETL trigger (s; goal p99 5 s)" noenhanced
set style data histogram
set style histogram clustered gap 1
set yrange [0:15]
set arrow from graph 0, first 5 to graph 1, first 5 nohead lc rgb "#e15759" dt 2
plot "$DATA/freshness.tsv" using 2:xtic(1) lc rgb "#4e79a7" title "p50, 3,000 events/s", \
     "" using 3 lc rgb "#a0cbe8" title "p99, 3,000 events/s", \
     "" using 4 lc rgb "#59a14f" title "p50, 100 events/s", \
     "" using 5 lc rgb "#8cd17d" title "p99, 100 events/s"
EOF

# A run's per-probe latency, before and after a change (docs/perf-data/<name>.tsv: probe, before, after).
plot_probes() { # name, y maximum, before title, after title
  gnuplot <<EOF
$common
set output "$OUT/$1.svg"
set title "measurements_live: 202 received -> visible, one probe a second, trigger 2 s, 3,000 events/s (s; goal p99 5 s)" noenhanced
set xlabel "probe (seconds after the first; 60 s of load before it)"
set yrange [0:$2]
set arrow from graph 0, first 5 to graph 1, first 5 nohead lc rgb "#e15759" dt 2
plot "$DATA/$1.tsv" using 1:2 with lines lw 2 lc rgb "#bab0ac" title "$3", \
     "" using 1:3 with lines lw 2 lc rgb "#4e79a7" title "$4"
EOF
}
plot_probes freshness-ab 25 "before (two Spark jobs per live batch, no result cache)" \
  "after (one job per live batch, result cache)"
plot_probes freshness-driver 30 "before (live parts by Spark in the first query per batch)" \
  "after (live parts on the driver, open hours cached, final views reused)"
plot_probes freshness-close 20 "before (open hours folded by the first query after a window closed)" \
  "after (open hours on the driver, one row per window)"

echo "wrote $(ls "$OUT"/*.svg | tr '\n' ' ')"
