# camwatch — the two set-up commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast bench lint format fonts clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Chinese labels in plans need a CJK font (Debian's fonts-noto-cjk); install it when missing.
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  echo "installing fonts-noto-cjk (CJK font for Chinese plans)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q fonts-noto-cjk fontconfig; }

## make run: create .venv, install, create the SQLite database with the sample sites, serve on :8000
run: $(STAMP) fonts
	$(BIN)/python -m web.serve --host $(HOST) --port $(PORT)

## make test: install what the tests need and run the whole suite
test: $(STAMP) fonts
	$(BIN)/python -m pytest -n 2

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser and not postgres"

bench: $(STAMP)
	$(BIN)/python -m bench.bench_coverage
	$(BIN)/python -m bench.bench_incremental
	$(BIN)/python -m bench.bench_planners
	$(BIN)/python -m bench.bench_placement
	$(BIN)/python -m bench.bench_web
	$(BIN)/python -m bench.bench_import
	$(BIN)/python -m bench.bench_load
	$(BIN)/python -m bench.bench_load --think 1
	$(BIN)/python -m bench.bench_report
	$(BIN)/python -m bench.bench_district

lint: $(STAMP)
	$(BIN)/ruff check camwatch planners web tests bench tools
	$(BIN)/ruff format --check camwatch planners web tests bench tools
	$(BIN)/mypy camwatch planners web

format: $(STAMP)
	$(BIN)/ruff format camwatch planners web tests bench tools
	$(BIN)/ruff check --fix camwatch planners web tests bench tools

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .ruff_cache .mypy_cache test-artifacts
