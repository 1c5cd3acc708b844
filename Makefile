# The commands people type. Everything runs from the project's own .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
JOBS ?= auto

.PHONY: run test lint migrations-check bench syslibs install clean-data

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# WeasyPrint needs Pango and HarfBuzz from the system; say so clearly instead of failing later.
syslibs:
	@missing=""; for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do \
	  ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Missing system libraries for PDF dossiers:$$missing"; \
	  echo "Install them with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  exit 1; fi

run: syslibs $(STAMP)
	$(PY) -m siris.localenv -- $(PY) -m siris.devrun

test: syslibs $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

migrations-check: $(STAMP)
	$(PY) -m siris.localenv --data var/check -- $(PY) manage.py makemigrations --check --dry-run

bench: syslibs $(STAMP)
	$(PY) -m siris.localenv --data var/bench -- $(PY) -m bench.run $(BENCH_ARGS)

clean-data:
	@echo "This deletes the local embedded database and Redis data in var/."; rm -rf var
