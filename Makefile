# Minzheng — the two commands a newcomer needs:  make demo   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The demo needs the application only; the tests and the linters need the dev extras too.
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install install-app demo serve test lint java messages bench clean

$(APP_STAMP): pyproject.toml package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js/npm 以安装图表库（apt-get install nodejs npm）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	npm ci --no-audit --no-fund --silent
	@touch $(APP_STAMP)

$(DEV_STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(DEV_STAMP)

install-app: $(APP_STAMP)

install: $(DEV_STAMP)

demo: install-app
	$(BIN)/minzheng migrate --no-input
	$(BIN)/minzheng demo --url http://$(HOST):$(PORT)/
	$(BIN)/minzheng serve --host $(HOST) --port $(PORT)

serve: install-app
	$(BIN)/minzheng serve --host $(HOST) --port $(PORT)

# The restore drill (README "Backups and the restore drill"): back up the configured database,
# restore it into a new, empty one and check the audit chain and every table's row count.
.PHONY: restore-drill
restore-drill: install
	$(BIN)/minzheng restore-drill

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports

# Spark (the distributed runner) needs a Java runtime, and the PostgreSQL JDBC driver for
# reading the database over JDBC: installed when missing and possible.
java:
	@command -v java >/dev/null || [ -n "$$JAVA_HOME" ] || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq default-jre-headless >/dev/null; } || \
	  echo "未找到 Java：Spark 测试将跳过（apt-get install default-jre-headless）"
	@[ -f /usr/share/java/postgresql.jar ] || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpostgresql-jdbc-java >/dev/null; } || \
	  echo "未找到 PostgreSQL JDBC 驱动：JDBC 测试将跳过（apt-get install libpostgresql-jdbc-java）"

# `make test` prints the wall time of each part and, at the end, all of them with the total
# (scripts/timed.sh). A caller that records its own parts too (.ci/run) sets MINZHENG_TIMES and
# prints the summary itself.
ifeq ($(origin MINZHENG_TIMES),environment)
TIMES_OWNER :=
else
export MINZHENG_TIMES := $(CURDIR)/test-artifacts/times.tsv
TIMES_OWNER := yes
endif
TIMED := bash scripts/timed.sh

test:
	@$(if $(TIMES_OWNER),$(TIMED) --begin)
	@$(TIMED) "install (virtualenv, npm)" $(MAKE) --no-print-directory install
	@$(TIMED) "install (Java for Spark)" $(MAKE) --no-print-directory java
	@$(TIMED) "lint (ruff check, ruff format)" $(MAKE) --no-print-directory lint
	@$(TIMED) "migrations check" $(BIN)/minzheng makemigrations --check --dry-run
	@$(TIMED) "messages check" $(BIN)/python scripts/check_messages.py
	@bash scripts/run_tests.sh
	@$(if $(TIMES_OWNER),$(TIMED) --summary)

messages: install
	cd src/minzheng && ../../$(BIN)/minzheng makemessages -l zh_Hans --no-obsolete && ../../$(BIN)/minzheng compilemessages

bench: install
	$(BIN)/python bench/generator.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
