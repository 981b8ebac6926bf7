# The two commands of the quick start: `make run` and `make test`.
# Both set up everything they need first; setup is idempotent and shows progress.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.os1-installed
OS1_TEST_MODEL ?= qwen2.5-coder-0.5b

.PHONY: run serve test lint setup setup-dev models docs bench bench-memory bench-mail bench-mail-injection bench-time bench-voice bench-tasks bench-web bench-files bench-music bench-letters clean

run: setup
	bash scripts/system-deps.sh run
	$(BIN)/os1 models install
	$(BIN)/os1

# The same setup as `make run`, then the companion in the browser: `os1 serve` prints its
# address (and, the first time, a one-time link to make your account).
serve: setup
	bash scripts/system-deps.sh run
	$(BIN)/os1 models install
	$(BIN)/os1 serve

test: setup-dev lint
	bash scripts/system-deps.sh test
	OS1_LLM__MODEL=$(OS1_TEST_MODEL) $(BIN)/os1 models install
	OS1_TEST_MODEL=$(OS1_TEST_MODEL) $(BIN)/python -m pytest -q -ra

# The house rules, checked before the tests: style (ruff), layers pointing down (import-linter),
# types (mypy, strict on core, storage and models). Settings in pyproject.toml.
lint: setup-dev
	@echo "==> checking style, layers and types"
	$(BIN)/ruff check os1 tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

# `make run` gets `os1 talk` too: the voice extra (piper, GPL, stays optional) and the VAD model.
setup: $(STAMP) $(STAMP).voice

setup-dev: $(STAMP).dev

$(VENV)/bin/python:
	@command -v $(PY) >/dev/null || { echo "OS1 needs Python 3.11 ($(PY) not found). On Debian: apt-get install python3.11 python3.11-venv"; exit 1; }
	@echo "==> creating virtual environment in $(VENV)"
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	@echo "==> installing OS1 and its pinned dependencies"
	$(BIN)/python -m pip install -q --progress-bar on -e .
	@touch $@

$(STAMP).dev: $(STAMP) $(STAMP).voice pyproject.toml
	@echo "==> installing test dependencies"
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

# silero-vad's declared dependency is torch, which is not needed (onnxruntime runs its model).
$(STAMP).voice: $(STAMP) pyproject.toml
	@echo "==> installing voice (os1 talk): speech recognition, voices, voice activity model"
	$(BIN)/python -m pip install -q -e '.[voice]'
	$(BIN)/python -m pip install -q --no-deps silero-vad==6.2.3
	@touch $@

bench: setup-dev
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.run_all

bench-memory: setup-dev
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/python -m bench.memory.locomo
	$(BIN)/python -m bench.memory.scale --sizes 10000 100000
	$(BIN)/python -m bench.memory.slots
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.memory.facts

bench-mail: setup-dev
	bash scripts/system-deps.sh test
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.mail.detector_bench
	$(BIN)/python -m bench.mail.triage_bench --rules-only --limit 1000
	$(BIN)/python -m bench.mail.triage_bench

# All hostile emails through summarize/reply/triage with the real 0.5B (CI runs a subset), in
# two parts; run each under the CPU lock on a shared machine.
bench-mail-injection: setup-dev
	bash scripts/system-deps.sh test
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/python -m bench.mail.injection_bench --part 0:17
	$(BIN)/python -m bench.mail.injection_bench --part 17: --merge

# Natural-language scheduling accuracy, both embedded models; LIMIT=N for a spread of N.
bench-time: setup-dev
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.time.lateness
	$(BIN)/python -m bench.time.nl_schedule --model qwen2.5-coder-0.5b $(if $(LIMIT),--limit $(LIMIT))
	$(BIN)/python -m bench.time.nl_schedule --model qwen2.5-coder-1.5b $(if $(LIMIT),--limit $(LIMIT))

# End-to-end tasks against real dovecot, SMTP and radicale, both embedded models (one thread
# each: rates do not depend on speed); FIRST=N for the first N conversations only.
bench-tasks: setup-dev
	bash scripts/system-deps.sh test
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	OS1_LLM__THREADS=1 $(BIN)/python -m bench.tasks.run --model qwen2.5-coder-1.5b $(if $(FIRST),--first $(FIRST))
	OS1_LLM__THREADS=1 $(BIN)/python -m bench.tasks.run --model qwen2.5-coder-0.5b $(if $(FIRST),--first $(FIRST))

# What the web app adds to a turn, and the browser voice's first sound (docs/web.md).
bench-web: setup-dev
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/python -m bench.web.turns --record
	$(BIN)/python -m bench.web.voice --record

bench-files: setup-dev
	$(BIN)/python -m bench.files.run --record

# How soon a composed piece sounds, and its statistics beside human piano music (docs/music.md).
bench-music: setup-dev
	bash scripts/system-deps.sh run
	$(BIN)/python -m bench.music.run --record

# Proofreading (real misspellings and seeded mistakes) and compiling a 200-page book (docs/letters.md).
bench-letters: setup-dev
	bash scripts/system-deps.sh run
	$(BIN)/python -m bench.letters.run --record
	$(BIN)/python -m bench.letters.book --record

bench-voice: setup-dev
	bash scripts/system-deps.sh test
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.voice.run
	$(BIN)/python -m bench.voice.figures

# The generated docs: the CLI reference from --help, the benchmark tables from benchmarks.json.
docs: setup-dev
	$(BIN)/python scripts/cli_reference.py > docs/cli.md
	$(BIN)/python -m bench.report_md

clean:
	rm -rf $(VENV) .pytest_cache

# The presence benchmark (docs/presence.md): scripted conversations scored for help-desk replies,
# engagement and staying in character, on both embedded models; `--suite self` for the questions
# about itself, `--base-url` for an OpenAI-compatible server.
.PHONY: bench-presence
bench-presence: setup-dev
	$(BIN)/os1 models install qwen2.5-coder-0.5b
	$(BIN)/os1 models install qwen2.5-coder-1.5b
	$(BIN)/python -m bench.presence.run --model qwen2.5-coder-1.5b
	$(BIN)/python -m bench.presence.run --model qwen2.5-coder-0.5b
