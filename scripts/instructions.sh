#!/usr/bin/env bash
# instructions.sh prints the instructions per packet of each row of bench/'s
# BenchmarkPipeline (pcapx alone, the full pipeline, gopacket's
# DecodingLayerParser doing L2-L4, gopacket.NewPacket, ...), counted by
# valgrind's callgrind, so that the numbers do not depend on how busy the
# machine is.
#
# Each row runs twice under callgrind, with no timed pass and with one
# (after the same untimed warm-up pass, the same setup and a garbage
# collection): the difference is one pass over the capture, every thread
# counted, divided by its packets. The mixed capture is built once, natively,
# and read by every run. The runs use one P (GOMAXPROCS=1), since idle Ps
# spinning for work add a varying number of instructions, and, except for
# NewPacket, no garbage collector (GOGC=off), since the other rows allocate
# nothing per packet and the collections the setup's garbage or the wall
# clock would start mid-pass are noise; NewPacket's collections are its
# own cost and are counted. Two runs of a row agree within 1%.
#
# Usage: scripts/instructions.sh [ROW...]
#   ROW: read_pcapgo pcapx pipeline dlp_l2l4 dlp_l2l4_sparse newpacket_gopacket
#        dlp_gopacketx
#        (default: all)
# Environment:
#   ICSBENCH_PACKETS  size of the mixed capture (default 1000000; NewPacket
#                     then takes about half an hour under callgrind)
#   KEEP=DIR          keep the callgrind profiles of the one-pass runs in DIR
#                     (for callgrind_annotate; they include the setup)
#
# Needs valgrind (apt-get install valgrind) and ../shared/captures; skips
# with a message without them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/bench"
if ! command -v valgrind >/dev/null; then
	echo "skip: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
if [ ! -d ../../shared/captures ]; then
	echo "skip: no corpus in ../../shared/captures"
	exit 0
fi
rows=("$@")
if [ ${#rows[@]} -eq 0 ]; then
	rows=(read_pcapgo pcapx pipeline dlp_l2l4 dlp_l2l4_sparse newpacket_gopacket dlp_gopacketx)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .
export ICSBENCH_CAPTURE="$tmp/mixed.pcap"
# Callgrind stops on the signals of Go's asynchronous preemption.
export GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1

# Build the capture once, natively, and count its packets.
out=$(ICSBENCH_PASSES=0 "$tmp/bench.test" -test.run '^$' -test.bench '^BenchmarkPipeline$/^read_pcapgo$' -test.benchtime 1x)
pkts=$(printf '%s\n' "$out" | sed -n 's/.*[[:space:]]\([0-9][0-9]*\) pkts\/op.*/\1/p' | head -1)
if [ -z "$pkts" ]; then
	printf '%s\n' "$out"
	echo "no packet count in the benchmark's output"
	exit 1
fi

# count ROW PASSES prints the instructions callgrind counted.
count() {
	local gogc=off
	if [ "$1" = newpacket_gopacket ]; then
		gogc=100
	fi
	GOGC=$gogc ICSBENCH_PASSES=$2 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1.$2" \
		"$tmp/bench.test" -test.run '^$' -test.bench "^BenchmarkPipeline\$/^$1\$" -test.benchtime 1x \
		>"$tmp/out.$1.$2" 2>&1 || { cat "$tmp/out.$1.$2"; exit 1; }
	if grep -q -- '--- SKIP' "$tmp/out.$1.$2"; then
		cat "$tmp/out.$1.$2"
		exit 1
	fi
	sed -n 's/^summary: //p' "$tmp/cg.$1.$2"
}

echo "mixed capture: $pkts packets; instructions per packet, one warm pass (callgrind, $(valgrind --version))"
printf '%-20s %12s\n' row instr/pkt
declare -A ipp
for row in "${rows[@]}"; do
	zero=$(count "$row" 0)
	one=$(count "$row" 1)
	ipp[$row]=$(( (one - zero + pkts / 2) / pkts ))
	printf '%-20s %12d\n' "$row" "${ipp[$row]}"
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP"
		cp "$tmp/cg.$row.1" "$KEEP/callgrind.$row"
	fi
done
if [ -n "${ipp[dlp_l2l4]:-}" ]; then
	echo
	echo "ratios to dlp_l2l4 (${ipp[dlp_l2l4]} instr/pkt):"
	for row in "${rows[@]}"; do
		awk -v r="$row" -v a="${ipp[$row]}" -v b="${ipp[dlp_l2l4]}" 'BEGIN { printf "  %-20s %6.2fx\n", r, a / b }'
	done
fi
if [ -n "${ipp[pipeline]:-}" ] && [ -n "${ipp[newpacket_gopacket]:-}" ]; then
	awk -v a="${ipp[newpacket_gopacket]}" -v b="${ipp[pipeline]}" 'BEGIN { printf "newpacket_gopacket / pipeline: %.2fx\n", a / b }'
fi
