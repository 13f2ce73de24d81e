# Every target sets itself up: the first run creates .venv and installs the package with its
# extras; later runs find the stamp and go straight to the job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pyanalytics-installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pyanalytics demo

# The report's browser test needs Debian's chromium: installed here when missing and we are root.
$(VENV)/.chromium: | $(STAMP)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "chromium is missing and this is not root: the report's browser test will be skipped (sudo apt-get install chromium)."; exit 0; fi; \
	if [ -x /usr/bin/chromium ]; then touch $@; fi

test: $(STAMP) $(VENV)/.chromium
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) benchmarks/results .pytest_cache
