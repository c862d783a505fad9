#!/usr/bin/env bash
# The wall time of each part of `make test` and `.ci/run`, printed when the part ends and
# recorded in $MINZHENG_TIMES (a file) for the summary at the end.
#
#   bash scripts/timed.sh --begin            start a record (MINZHENG_TIMES must be set)
#   bash scripts/timed.sh LABEL COMMAND…     run COMMAND as one part; its exit status is kept
#   bash scripts/timed.sh --summary          every recorded part, then the total since --begin
#
# Sourced (`source scripts/timed.sh`), it also gives part_begin LABEL / part_end [STATUS
# [NOTE]] for a part made of several shell commands, and timed LABEL COMMAND…. Without
# MINZHENG_TIMES the times are printed and not recorded.

_now() { date +%s.%N; }

times_begin() {
  mkdir -p "$(dirname "$MINZHENG_TIMES")"
  printf 'begin\t%s\n' "$(_now)" >"$MINZHENG_TIMES"
}

part_begin() {
  _part_label=$1
  _part_start=$(_now)
  printf '\n== %s ==\n' "$_part_label"
}

part_end() {
  local status=${1:-0} note=${2:-} seconds outcome=""
  seconds=$(awk -v a="$_part_start" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }')
  [ "$status" = 0 ] || outcome=" — FAILED (exit $status)"
  printf -- '-- %s: %s s%s%s\n' "$_part_label" "$seconds" "${note:+ ($note)}" "$outcome"
  if [ -n "${MINZHENG_TIMES:-}" ] && [ -f "$MINZHENG_TIMES" ]; then
    printf '%s\t%s\t%s\t%s\n' "$_part_label" "$seconds" "$status" "$note" >>"$MINZHENG_TIMES"
  fi
}

timed() {
  local status=0
  part_begin "$1"
  shift
  echo "$*"
  "$@" || status=$?
  part_end "$status"
  return "$status"
}

times_summary() {
  [ -n "${MINZHENG_TIMES:-}" ] && [ -f "$MINZHENG_TIMES" ] || return 0
  printf '\n== wall time of each part ==\n'
  awk -F '\t' -v now="$(_now)" '
    $1 == "begin" { begin = $2; next }
    {
      line = sprintf("  %-44s %8.1f s", $1, $2)
      if ($4 != "") line = line "  " $4
      if ($3 != 0) line = line "  FAILED (exit " $3 ")"
      print line
    }
    END {
      total = now - begin
      printf "  %-44s %8.1f s  (%d min %02d s)\n", "total", total, total / 60, total % 60
    }' "$MINZHENG_TIMES"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    --begin) times_begin ;;
    --summary) times_summary ;;
    "") echo "usage: $0 --begin | --summary | LABEL COMMAND…" >&2; exit 2 ;;
    *) timed "$@" ;;
  esac
fi
