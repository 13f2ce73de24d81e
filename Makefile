# Every target sets itself up: the first run creates .venv and installs the package with its
# extras; later runs find the stamp and go straight to the job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pyanalytics-installed
# The R side lives beside the Python one: R packages in a project-local library, rpy2 in .venv.
RLIB := $(VENV)/R-library
R_STAMP := $(VENV)/.r-installed
R_PACKAGE := $(RLIB)/pyanalytics/DESCRIPTION
R_ENV := R_LIBS_USER=$(abspath $(RLIB)) PYANALYTICS_PYTHON=$(abspath $(BIN)/python)

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# R and reticulate from Debian packages (as root), rpy2 pinned to the installed R: tools/install_r.sh.
$(R_STAMP): tools/install_r.sh | $(STAMP)
	tools/install_r.sh $(RLIB) $(VENV)
	touch $@

$(R_PACKAGE): $(R_STAMP) $(shell find r_bridge -type f -not -path 'r_bridge/tests/*')
	R CMD INSTALL --no-multiarch -l $(RLIB) r_bridge

demo: $(STAMP) $(R_PACKAGE)
	$(BIN)/pyanalytics demo

# The report's browser test needs Debian's chromium: installed here when missing and we are root.
$(VENV)/.chromium: | $(STAMP)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "chromium is missing and this is not root: the report's browser test will be skipped (sudo apt-get install chromium)."; exit 0; fi; \
	if [ -x /usr/bin/chromium ]; then touch $@; fi

test: $(STAMP) $(VENV)/.chromium $(R_PACKAGE)
	$(BIN)/python -m pytest
	cd r_bridge/tests && $(R_ENV) Rscript -e 'testthat::test_dir("testthat", package = "pyanalytics", load_package = "installed", stop_on_failure = TRUE)'

bench: $(STAMP) $(R_PACKAGE)
	$(R_ENV) $(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) benchmarks/results .pytest_cache
