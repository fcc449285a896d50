# Two commands on a fresh machine:  `make demo` (set up + answer a question)  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1

.PHONY: setup demo test bench
setup: $(VENV)/.installed

# torch first, pinned to the CPU build on this machine's disk: a plain `torch` pulls a CUDA build of several GB.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $@

demo: setup
	$(VENV)/bin/citebot ask "where is the summit?"

test: setup
	$(PY) -m pytest

# Speed and memory against issue 5 targets: prints one table (10-20 min on 2 cores; no network), then PostgreSQL
# at 100,000 and 1,000,000 generated passages (bench/pg_scale.py: the million alone takes hours on 2 cores).
bench: setup
	$(PY) -m bench.run
