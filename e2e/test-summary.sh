#!/usr/bin/env bash
# Last line of `make test`: the Java test count across every module (surefire unit tests and
# failsafe integration tests), read from the reports this run wrote, plus the SDK tests' count.
set -euo pipefail
cd "$(dirname "$0")/.."
sdk_passed=${1:-0}
sdk_failed=${2:-0}
shopt -s nullglob
reports=(*/target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml)
[ ${#reports[@]} -gt 0 ] || { echo "test-summary: no test reports found" >&2; exit 1; }
awk -v sp="$sdk_passed" -v sf="$sdk_failed" '
  /<testsuite / {
    match($0, / tests="[0-9]+"/);    t += substr($0, RSTART + 8, RLENGTH - 9)
    match($0, / failures="[0-9]+"/); f += substr($0, RSTART + 11, RLENGTH - 12)
    match($0, / errors="[0-9]+"/);   e += substr($0, RSTART + 9, RLENGTH - 10)
    match($0, / skipped="[0-9]+"/);  s += substr($0, RSTART + 10, RLENGTH - 11)
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", t - f - e - s + sp, f + e + sf, s }
' "${reports[@]}"
