# HĐND điện tử — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export KIVY_NO_ARGS := 1

.PHONY: install system-deps run-deps run test test-other-day test-fast bench lint screenshots tablet clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[tablet,dev]'
	@touch $(STAMP)

# Debian packages the tests need: Mesa for the offscreen Kivy window, Chromium for
# browser tests, libsodium for the ballot group, fonts with every Vietnamese letter,
# poppler-utils (pdftoppm) to draw the official PDFs in the layout tests, HAProxy and
# iproute2 for the several-hosts tests (tests/multihost: network namespaces, as root).
system-deps:
	@bash scripts/system-deps.sh

# What the server itself needs: the Times-metric font of official documents
# (fonts-texgyre). Never fails `make run`: without it PDFs fall back, with a warning.
run-deps:
	@bash scripts/system-deps.sh --run

run: install run-deps
	$(BIN)/hdnd migrate
	$(BIN)/hdnd demo
	$(BIN)/hdnd serve --host $(HOST) --port $(PORT)

test: install system-deps
	$(BIN)/python -m pytest -q

# The date-sensitive tests once more on another day: the project's clock (HDND_TEST_CLOCK,
# inherited by every process the tests start) two years after the suite's usual day. A test
# that hard-codes the day it was written, or reads the real date, fails here. (libfaketime
# was tried for the machine's clock too: Python's sleeps fail under it with EINVAL, and
# Playwright's driver hangs; tests/test_one_clock.py finds code that bypasses the clock.)
OTHER_DAY ?= 2028-11-20T09:00:00+07:00
DATE_SENSITIVE ?= tests/test_one_clock.py tests/shared/test_clock.py tests/shared/pack \
	tests/server/demo tests/server/followup tests/server/followup_api \
	tests/server/followup_reports tests/server/delegates tests/server/packs tests/server/api tests/server/web \
	tests/server/live tests/server/ballot tests/server/register tests/server/test_minutes_text.py \
	tests/server/minutes tests/server/signatures tests/server/documents tests/server/questioning \
	tests/server/citizens tests/server/operations tests/multihost \
	tests/tablet_app/core tests/e2e/test_web_followup.py tests/e2e/test_web_delegates.py \
	tests/e2e/test_web_admin.py tests/e2e/test_web_console.py tests/e2e/test_web_live.py \
	tests/e2e/test_web_documents.py tests/e2e/test_web_minutes_draft.py tests/e2e/test_web_questioning.py \
	tests/e2e/test_web_training.py tests/e2e/test_tablet_my_record.py
test-other-day: install system-deps
	HDND_TEST_CLOCK=$(OTHER_DAY) $(BIN)/python -m pytest -q -p no:cacheprovider $(DATE_SENSITIVE)

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not postgres and not slow"

bench: install
	@for b in tests/bench/*.py; do \
		name=$$(basename $$b .py); [ "$$name" = "__init__" ] && continue; \
		case "$$name" in _*) continue;; esac; \
		echo "== $$name"; $(BIN)/python -m tests.bench.$$name $(BENCH_ARGS) || exit 1; \
	done

# Screenshots of every main screen into docs/screenshots/ (offscreen Kivy, headless Chromium).
screenshots: install system-deps
	SDL_VIDEODRIVER=offscreen $(BIN)/python scripts/screenshots_tablet.py
	@if [ -f scripts/screenshots_web.py ]; then $(BIN)/python scripts/screenshots_web.py; fi

# The delegate's app on this desktop, against the demo council (`make run` in another terminal).
tablet: install
	$(BIN)/python -m tablet_app

lint: install
	$(BIN)/ruff check server shared tablet_app tests
	$(BIN)/lint-imports
	$(BIN)/mypy  # [tool.mypy] in pyproject.toml: strict on shared/ and tablet_app/core

clean:
	rm -rf $(VENV) var .pytest_cache
