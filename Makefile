# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install install-system run test test-faults lint typecheck bench bench-stream score clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Debian packages the tests use: prometheus and promtool, amtool (prometheus-alertmanager), and
# headless chromium for the timeline page (chromium-driver for WebDriver clients; the tests use the binary).
SYSTEM_PACKAGES := prometheus prometheus-alertmanager chromium chromium-driver
install-system:
	@command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v amtool >/dev/null && \
	  command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null))
	@command -v promtool >/dev/null || (echo "promtool missing after install" >&2; exit 1)
	@command -v amtool >/dev/null || (echo "amtool missing after install" >&2; exit 1)
	@command -v chromium >/dev/null || (echo "chromium missing after install" >&2; exit 1)

run: install
	$(BIN)/dipwatch run --seeds seeds

test: install install-system
	$(BIN)/python -m pytest -q -rs

# The kill -9 fault-injection test alone (tests/integration/test_crash_safety.py; `make test` runs it too).
test-faults: install install-system
	$(BIN)/python -m pytest -q -rs -m fault_injection tests/integration/test_crash_safety.py

lint:
	$(BIN)/ruff check dipwatch streams connectors tests benchmarks
	$(BIN)/mypy

# Real-text scores per track: the development part, then the held-out test part.
score: install
	$(BIN)/python benchmarks/score_corpus.py --part dev
	$(BIN)/python benchmarks/score_corpus.py --part test

bench: install
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_dedup.py

# The streaming path on the embedded broker (BENCHMARKS.md); N=500 for a quick run.
N ?= 5000
bench-stream: install
	$(BIN)/python benchmarks/bench_stream.py --n $(N) --replay 1000,10000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
