# Shared by the scripts in this folder (sourced, not run).

# README's release command (the static binary users run). COCLICK_SCRATCH: build in
# that folder instead of .build (a release build beside a running debug one).
release_build=(swift build -c release --static-swift-stdlib --product coclick ${COCLICK_SCRATCH:+--scratch-path "$COCLICK_SCRATCH"})

# start_simulator BIN DIR [ARGS...]: starts `BIN simulator --port 0 ARGS` in the
# background, prefixed by $sim_prefix when set (e.g. chrt), its output in DIR.
# Sets sim_pid and api (its base URL, on loopback); exits when it does not start.
start_simulator() {
  local bin="$1" dir="$2"
  shift 2
  ${sim_prefix:-} "$bin" simulator --port 0 "$@" > "$dir/sim.out" 2> "$dir/sim.log" &
  sim_pid=$!
  api=""
  for _ in $(seq 300); do
    api="$(sed -n 's/^ *export COCLICK_API_URL=//p' "$dir/sim.out" | head -n1)"
    [ -n "$api" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "$(basename "$0"): the simulator did not start: $(cat "$dir/sim.log")" >&2; exit 1; }
    sleep 0.05
  done
  case "$api" in
    http://127.0.0.1:*) ;;
    *) echo "$(basename "$0"): the simulator gave no loopback URL: '$api'" >&2; exit 1 ;;
  esac
}
