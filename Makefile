# Two commands matter: `make test` and `make demo`. Each builds the virtual
# environment from the pinned constraints on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp

.PHONY: test demo bench lint clean

# The postgres extra too: the PostgreSQL half of the tests needs its driver
# (they are skipped unless LIVEROOM_TEST_POSTGRES_URL names a server).
$(STAMP): pyproject.toml constraints.txt Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,postgres]'
	touch $(STAMP)

# The bench measures liveroom as `pip install liveroom` installs it: no test tools
# and no PostgreSQL driver, which Peewee imports as it loads when it is there.
$(BENCH_STAMP): pyproject.toml constraints.txt Makefile
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $(BENCH_STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

demo: $(STAMP)
	$(BIN)/liveroom demo

bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check app store widgets tests bench
	$(BIN)/ruff format --check app store widgets tests bench

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .hypothesis
