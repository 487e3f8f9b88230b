#!/usr/bin/env bash
# Start/stop Stoplight Prism against the vendored Account Management spec, for CI and local runs.
# Install first (once per clone): npm ci --prefix tools/prism
#
#   tools/prism/prism.sh mock  [OPTIONS]                   prism mock, request validation, --errors
#   tools/prism/prism.sh mock  --dynamic [--seed S] [...]  generated responses; --seed default 1,
#                                                         `--seed none` = new random data per request
#   tools/prism/prism.sh proxy UPSTREAM_URL [OPTIONS]      prism proxy, request+response validation, --errors
#   tools/prism/prism.sh stop  [--port N | --pid-file F]   stop what `mock`/`proxy` started
#
# OPTIONS
#   --port N        port on 127.0.0.1 (default: $PRISM_PORT or 4010)
#   --pid-file F    default: $PRISM_RUN_DIR/prism-<port>.pid  (PRISM_RUN_DIR default: ${TMPDIR:-/tmp})
#   --log-file F    default: the pid file with .log instead of .pid
#   --spec F        default: tests/spec/account-management.openapi.yml
#   --timeout S     how long to wait for Prism to answer (default: 60)
#   -- ARGS...      anything after -- is passed to prism unchanged
#
# On success prints `PRISM_URL=http://127.0.0.1:<port>` and `PRISM_PID=<pid>` and exits 0.
# On failure (port taken, Prism exited, no answer in time) prints the log tail and exits 1.
# Set PRISM_NO_PRELOAD=1 to run Prism without keep-param-names.cjs (see that file).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prism_bin="$here/node_modules/.bin/prism"

die() { echo "prism.sh: $*" >&2; exit 1; }
usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[[ $# -ge 1 ]] || usage
cmd="$1"; shift

port="${PRISM_PORT:-4010}"
pid_file=""
log_file=""
spec="$root/tests/spec/account-management.openapi.yml"
timeout=60
dynamic=0
seed="1"
upstream=""
extra=()

if [[ "$cmd" == "proxy" ]]; then
  [[ $# -ge 1 && "$1" != -* ]] || die "proxy needs an upstream URL, e.g. proxy http://127.0.0.1:8080"
  upstream="$1"; shift
fi

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --pid-file) pid_file="${2:?--pid-file needs a value}"; shift 2 ;;
    --log-file) log_file="${2:?--log-file needs a value}"; shift 2 ;;
    --spec) spec="${2:?--spec needs a value}"; shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
    --dynamic) dynamic=1; shift ;;
    --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) die "unknown argument: $1" ;;
  esac
done

[[ "$port" =~ ^[0-9]+$ ]] || die "bad port: $port"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "bad timeout: $timeout"
run_dir="${PRISM_RUN_DIR:-${TMPDIR:-/tmp}}"
pid_file="${pid_file:-$run_dir/prism-$port.pid}"
log_file="${log_file:-${pid_file%.pid}.log}"
url="http://127.0.0.1:$port"

# Prints the HTTP status Prism (or anything else) answers on the port with, or 000.
probe() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/__prism_sh_probe__" 2>/dev/null || true
  else
    # No curl: a TCP connect is the best we can do.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo 200; else echo 000; fi
  fi
}

# True if $1 is a live process that looks like the Prism we start.
is_prism() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'prism'
}

stop() {
  [[ -f "$pid_file" ]] || { echo "prism.sh: nothing to stop ($pid_file not found)"; return 0; }
  local pid
  pid="$(cat "$pid_file")"
  if is_prism "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "prism.sh: pid $pid did not stop on TERM within 10 s, sent KILL" >&2
    fi
    echo "prism.sh: stopped pid $pid"
  else
    echo "prism.sh: pid ${pid:-?} from $pid_file is not running"
  fi
  rm -f "$pid_file"
}

start() {
  [[ -x "$prism_bin" ]] || die "$prism_bin not found; run: npm ci --prefix tools/prism"
  command -v node >/dev/null 2>&1 || die "node not found on PATH"
  [[ -r "$spec" ]] || die "spec not readable: $spec"
  if [[ -f "$pid_file" ]] && is_prism "$(cat "$pid_file")"; then
    die "already running (pid $(cat "$pid_file"), $pid_file); run: $0 stop --port $port"
  fi
  [[ "$(probe)" == "000" ]] || die "something already answers on $url"
  mkdir -p "$(dirname "$pid_file")" "$(dirname "$log_file")"

  local args
  if [[ "$cmd" == "mock" ]]; then
    args=(mock --host 127.0.0.1 --port "$port" --errors)
    if [[ "$dynamic" == 1 ]]; then
      args+=(--dynamic)
      [[ "$seed" == none ]] || args+=(--seed "$seed")
    fi
  else
    [[ "$dynamic" == 0 ]] || die "--dynamic only applies to mock"
    args=(proxy --host 127.0.0.1 --port "$port" --errors --validate-request)
  fi
  args+=("${extra[@]}" "$spec")
  [[ -z "$upstream" ]] || args+=("$upstream")

  local node_options="${NODE_OPTIONS:-}"
  if [[ "${PRISM_NO_PRELOAD:-0}" != 1 ]]; then
    node_options="--require=$here/keep-param-names.cjs${node_options:+ $node_options}"
  fi

  # nohup and env both exec, so $! is the pid of the node process itself.
  NODE_OPTIONS="$node_options" nohup "$prism_bin" "${args[@]}" >"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"

  local deadline=$((SECONDS + timeout))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      echo "prism.sh: prism exited during start-up; log $log_file:" >&2
      tail -n 40 "$log_file" >&2 || true
      exit 1
    fi
    if grep -q 'Prism is listening on' "$log_file" 2>/dev/null && [[ "$(probe)" != "000" ]]; then
      break
    fi
    if ((SECONDS >= deadline)); then
      echo "prism.sh: no answer on $url within ${timeout}s; log $log_file:" >&2
      tail -n 40 "$log_file" >&2 || true
      stop >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "PRISM_URL=$url"
  echo "PRISM_PID=$pid"
}

case "$cmd" in
  mock|proxy) start ;;
  stop) stop ;;
  *) usage ;;
esac
