#!/usr/bin/env bash
# fuzz-all.sh runs every native Go fuzz target of the repository (every
# `func FuzzX(f *testing.F)` in a _test.go file, bench/ included) for a given
# time, one after the other, and prints per target the executions, the new
# corpus entries the engine found interesting, and whether it passed; then a
# summary. It exits 1 when a target failed (the engine writes the failing
# input under the package's testdata/fuzz/FuzzX/; commit it as a regression
# once the bug is fixed) and 2 on a usage error.
#
# Usage: scripts/fuzz-all.sh [-parallel N] [-minimize T] [-run REGEXP] [-list] [TIME]
#   TIME          how long each target runs, as go test's -fuzztime takes it
#                 (30s, 5m, 1h, or 10000x executions); default 1m
#   -parallel N   fuzzing workers per target (go test -parallel); the default
#                 is Go's (GOMAXPROCS). On a small shared machine use 1.
#   -minimize T   time spent minimizing each new corpus entry
#                 (-fuzzminimizetime); default 5s, as Go's 60s stalls slow
#                 targets for long stretches
#   -run REGEXP   only the targets whose "package/FuzzX" matches REGEXP
#                 (grep -E), e.g. -run '^fuzz/' or -run 'FuzzConn$'
#   -list         print the targets and exit
#
# Environment: everything is passed to go test, in particular the switches of
# package fuzz: ICSDISSECT_FUZZ_STRICT (which adversarial checks run) and
# ICSDISSECT_FUZZ_WAIVE (failures already reported).
# FUZZ_LOGS=DIR keeps each target's output in DIR (default: a temporary
# folder, removed at the end unless a target failed).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

fuzztime=1m
minimize=5s
parallel=
run=
list=
while [ $# -gt 0 ]; do
	case "$1" in
	-parallel | -p)
		[ $# -ge 2 ] || { echo "fuzz-all: $1 needs a number" >&2; exit 2; }
		parallel=$2
		shift 2
		;;
	-minimize)
		[ $# -ge 2 ] || { echo "fuzz-all: -minimize needs a time" >&2; exit 2; }
		minimize=$2
		shift 2
		;;
	-run)
		[ $# -ge 2 ] || { echo "fuzz-all: -run needs a regexp" >&2; exit 2; }
		run=$2
		shift 2
		;;
	-list)
		list=1
		shift
		;;
	-h | -help | --help)
		sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "fuzz-all: unknown option $1" >&2
		exit 2
		;;
	*)
		fuzztime=$1
		shift
		;;
	esac
done

# Targets as "module-dir package-dir FuzzName", found in the sources.
targets=()
while IFS= read -r line; do
	file=${line%%:*}
	name=$(sed -E 's/^[^:]*:func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"$line")
	dir=$(dirname "$file")
	mod=$dir
	while [ "$mod" != "." ] && [ ! -f "$mod/go.mod" ]; do
		mod=$(dirname "$mod")
	done
	pkg=${dir#"$mod"}
	pkg=${pkg#/}
	[ -n "$pkg" ] || pkg=.
	label="$dir/$name"
	label=${label#./}
	if [ -n "$run" ] && ! grep -Eq -- "$run" <<<"$label"; then
		continue
	fi
	targets+=("$mod $pkg $name")
done < <(grep -rE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | sed 's#^\./##' | sort)

if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz-all: no fuzz targets match" >&2
	exit 2
fi
if [ -n "$list" ]; then
	for t in "${targets[@]}"; do
		read -r mod pkg name <<<"$t"
		echo "$mod/$pkg/$name" | sed 's#^\./##; s#/\./#/#'
	done
	exit 0
fi

logs=${FUZZ_LOGS:-}
keep=
if [ -z "$logs" ]; then
	logs=$(mktemp -d)
else
	mkdir -p "$logs"
	keep=1
fi

pflag=()
[ -n "$parallel" ] && pflag=(-parallel "$parallel")

printf '%s targets, %s each%s\n\n' "${#targets[@]}" "$fuzztime" "${parallel:+, -parallel $parallel}"
printf '%-44s %12s %8s %8s  %s\n' target execs new time result
failed=0
total_execs=0
total_new=0
fails=()
for t in "${targets[@]}"; do
	read -r mod pkg name <<<"$t"
	label=$(echo "$mod/$pkg/$name" | sed 's#^\./##; s#/\./#/#; s#^\.##')
	log="$logs/$(echo "$label" | tr '/' '_').log"
	start=$(date +%s)
	(cd "$mod" && go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" "${pflag[@]}" "./$pkg") >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	# The engine's last progress line: "fuzz: elapsed: 1m0s, execs: 123 (2/sec), new interesting: 4 (total: 56)".
	last=$(grep -E '^fuzz: elapsed: .*execs: ' "$log" | tail -1)
	execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
	new=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
	execs=${execs:-0}
	new=${new:-0}
	if [ $rc -eq 0 ] && grep -q '^ok' "$log"; then
		result=PASS
	elif grep -q 'context deadline exceeded' "$log" && ! grep -qE 'Failing input written|^panic:|fuzzing process hung' "$log"; then
		# go test reports the end of -fuzztime during a minimization as a
		# failure with no input: nothing failed.
		result="PASS (ended while minimizing)"
	else
		result=FAIL
		failed=$((failed + 1))
		input=$(sed -nE 's/.*Failing input written to (.*)$/\1/p' "$log" | tail -1)
		fails+=("$label: ${input:+input $mod/$pkg/$input, }log $log")
	fi
	total_execs=$((total_execs + execs))
	total_new=$((total_new + new))
	printf '%-44s %12s %8s %7ss  %s\n' "$label" "$execs" "$new" "$secs" "$result"
done

echo
printf 'summary: %d targets, %d passed, %d failed, %d execs, %d new corpus entries\n' \
	"${#targets[@]}" $((${#targets[@]} - failed)) "$failed" "$total_execs" "$total_new"
for f in "${fails[@]}"; do
	echo "  FAIL $f"
done
if [ $failed -gt 0 ]; then
	echo "logs kept in $logs"
	exit 1
fi
[ -n "$keep" ] || rm -rf "$logs"
exit 0
