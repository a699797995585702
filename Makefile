# Two commands matter: `make slides` (install everything, build HTML + PDFs) and `make test`.
PROFILE ?=
ENGINE  ?= auto
PY      := .venv/bin/python
BUILD_FLAGS := $(if $(PROFILE),--profile $(PROFILE)) --engine $(ENGINE) $(if $(FRESH),--fresh) $(if $(NOTES),--notes-pdf)

.PHONY: setup slides html test bench present new-event clean

setup:
	@bash tools/setup.sh

slides: setup
	$(PY) -m deckbuild build $(BUILD_FLAGS)

html: setup
	$(PY) -m deckbuild build $(BUILD_FLAGS) --no-pdf

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/run.py

present: setup
	$(PY) -m deckbuild present $(if $(PROFILE),--profile $(PROFILE))

new-event: setup
	$(PY) -m deckbuild new-event --name "$(NAME)" --start "$(START)" --end "$(END)" --city "$(CITY)" \
	  $(if $(SLUG),--slug "$(SLUG)") $(if $(VENUE),--venue "$(VENUE)") $(if $(TAGLINE),--tagline "$(TAGLINE)") \
	  $(if $(MODEL),--model "$(MODEL)") $(if $(LOGO),--logo "$(LOGO)") $(if $(HANDOUT_URL),--handout-url "$(HANDOUT_URL)")

clean:
	rm -rf _output _output-* .deck-cache
