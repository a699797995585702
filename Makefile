# Two commands matter: `make slides` (install everything, build HTML + PDFs) and `make test`.
PROFILE ?=
ENGINE  ?= auto
PY      := .venv/bin/python
BUILD_FLAGS := $(if $(PROFILE),--profile $(PROFILE)) --engine $(ENGINE) $(if $(FRESH),--fresh) $(if $(NOTES),--notes-pdf)
WORKERS ?= 2
# Cached bytecode: every Python process here (builds, kernels, tests) starts faster.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup slides html test bench present new-event clean distclean

setup:
	@bash tools/setup.sh

slides: setup
	$(PY) -m deckbuild build $(BUILD_FLAGS)

html: setup
	$(PY) -m deckbuild build $(BUILD_FLAGS) --no-pdf

# The deck tests check the default profile's deck as just built (a no-op when `make slides` ran:
# the build decides by content, so DECK_BUILT_OUTPUT tells the tests _output/ is current); test
# files are spread over WORKERS processes (pytest-xdist, one file per worker at a time).
test: setup
	$(PY) -m deckbuild build --engine $(ENGINE)
	DECK_BUILT_OUTPUT=$(CURDIR)/_output $(PY) -m pytest -q -n $(WORKERS) --dist loadfile

bench: setup
	$(PY) benchmarks/run.py

present: setup
	$(PY) -m deckbuild present $(if $(PROFILE),--profile $(PROFILE))

new-event: setup
	$(PY) -m deckbuild new-event --name "$(NAME)" --start "$(START)" --end "$(END)" --city "$(CITY)" \
	  $(if $(SLUG),--slug "$(SLUG)") $(if $(VENUE),--venue "$(VENUE)") $(if $(TAGLINE),--tagline "$(TAGLINE)") \
	  $(if $(MODEL),--model "$(MODEL)") $(if $(LOGO),--logo "$(LOGO)") $(if $(HANDOUT_URL),--handout-url "$(HANDOUT_URL)")

# Every build artefact; the converted models (DECK_MODEL_CACHE, else ~/.cache/como-as-llms-funcionam) stay.
clean:
	rm -rf _output* .deck-cache _freeze .quarto .*.tmp-*
	find . \( -path ./.git -o -path ./.venv -o -path ./node_modules \) -prune -o -name '*.quarto_ipynb' -exec rm -f {} +

# Also what `make setup` installed into the work tree (the next build installs it again).
distclean: clean
	rm -rf .venv node_modules src/*.egg-info .pytest_cache
