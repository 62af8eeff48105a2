# Structured results for the host test (sourced by /init): one console line per check,
#   KEYLOOP-RESULT {"check":"NAME","ok":true|false,"fields":{"KEY":"VALUE",...}}
# `ok` is a plain fact seen in the guest (a command exited 0, a node appeared); the host test
# decides what each check must show. Field values are strings, JSON-escaped here.

json_string() {
  tr -d '\000-\010\013-\037\177' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' |
    sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/\\n/g'
}

# field KEY VALUE: add one field to the next result.
field() {
  KEYLOOP_FIELDS="$KEYLOOP_FIELDS${KEYLOOP_FIELDS:+,}\"$1\":\"$(printf '%s' "$2" | json_string)\""
}

# emit CHECK true|false: print the result with the fields gathered since the last one.
emit() {
  printf 'KEYLOOP-RESULT {"check":"%s","ok":%s,"fields":{%s}}\n' "$1" "$2" "$KEYLOOP_FIELDS"
  KEYLOOP_FIELDS=''
}

# run_check CHECK OUT COMMAND...: run COMMAND with stdout to OUT; report exit, stdout and stderr.
run_check() {
  check=$1 out=$2
  shift 2
  "$@" >"$out" 2>"$out.err"
  status=$?
  field command "$*"
  field exit "$status"
  field stdout "$(cat "$out")"
  field stderr "$(cat "$out.err")"
  [ "$status" -eq 0 ] && emit "$check" true || emit "$check" false
  return "$status"
}
