# make demo: set up, then draw every example in diagrams/ as SVG and PDF beside its YAML,
# and the run charts of the examples' measures into diagrams/charts/.
# make test: set up, then run the whole test suite.
# make docs: set up, then build the guide (docs/) as a web site into site-docs/.
# make site: set up, then build the partnership portal of diagrams/ into site/.
# make site-screenshots: redraw the guide's pictures of the portal (docs/portal-*.png)
# in the tests' headless Chromium.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint graphviz clean schema fuzz site site-screenshots install wheel-check docs

demo: $(VENV)/.installed graphviz
	$(BIN)/driverdiagram render diagrams/*.yaml -f svg -f pdf
	$(BIN)/driverdiagram chart diagrams/early-years-participation.yaml -o diagrams/charts/
	$(BIN)/driverdiagram chart diagrams/falls-prevention.yaml -o diagrams/charts/
	@echo
	@echo "Drawn: diagrams/*.svg, diagrams/*.pdf and the charts in diagrams/charts/."
	@echo "To type driverdiagram commands in this terminal, first run:"
	@echo "    . $(VENV)/bin/activate"
	@echo "then try:  driverdiagram doctor    and    driverdiagram templates"

site: $(VENV)/.installed graphviz
	$(BIN)/driverdiagram site diagrams -o site --title "Example programme"

site-screenshots: $(VENV)/.installed-test graphviz
	$(BIN)/python -m tests.site.screenshots docs

test: $(VENV)/.installed-test graphviz
	$(BIN)/python -m pytest

# The guide in docs/ as a web site in site-docs/ (MkDocs with Material; --strict: a
# broken link or anchor is an error).
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "The guide: site-docs/index.html"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check driverdiagram tests benchmarks fuzz
	$(BIN)/mypy driverdiagram
	$(BIN)/lint-imports

graphviz:
	@sh scripts/ensure-graphviz

# driverdiagram for everyday use, in a virtual environment of its own that pipx keeps.
install: graphviz
	@command -v pipx >/dev/null || { echo "pipx is not installed: sudo apt-get install pipx (Debian/Ubuntu), brew install pipx (macOS) or py -m pip install --user pipx (Windows); then run make install again" >&2; exit 1; }
	pipx install --force .
	@echo "Installed: open a new terminal and type  driverdiagram doctor"

# Build the wheel, install it outside the checkout and run the main commands (CI does).
wheel-check: graphviz
	sh scripts/check-wheel

# The tool alone for demo and site; the test tools (pytest, ruff, mypy ...) for test and lint.
$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-docs: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --quiet -e '.[docs]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	rm -f diagrams/*.svg diagrams/*.pdf
	rm -rf diagrams/charts site

# Rewrite driverdiagram/schema.json from driverdiagram/readers/schema.py (a test checks they agree).
schema: $(VENV)/.installed
	$(BIN)/python -c "from driverdiagram.readers.schema import dumps; open('driverdiagram/schema.json', 'w').write(dumps())"

# Fuzz the loader, CSV reader, settings, theme files and importers with atheris (coverage-guided),
# FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
fuzz: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet atheris
	$(BIN)/python fuzz/seed.py
	mkdir -p fuzz/findings
	$(BIN)/python fuzz/fuzz_loader.py fuzz/corpus -dict=fuzz/yaml.dict -timeout=10 \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/
	$(BIN)/python fuzz/fuzz_csv.py fuzz/corpus-csv -dict=fuzz/csv.dict -timeout=10 \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/
	$(BIN)/python fuzz/fuzz_settings.py fuzz/corpus-settings -timeout=10 \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/
	$(BIN)/python fuzz/fuzz_theme.py fuzz/corpus-theme -dict=fuzz/theme.dict -timeout=10 \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/
	$(BIN)/python fuzz/fuzz_import.py fuzz/corpus-import -dict=fuzz/import.dict -timeout=10 \
		-rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/
