# Python 3.13: the interpreter the tests run on and the one Lambda runs (python3.13), so the
# .pyc files the layers ship are valid. Included by ../Makefile and layers/Makefile (both run
# from the repository root). Override with `make … PYTHON=/path/to/python3.13`.
#
# Found, in order: python3.13 on PATH (Debian 13), else pyenv's newest 3.13.x. A pyenv shim
# that cannot run 3.13 prints nothing here, so it is skipped. Looked up once, on first use,
# so targets that need no Python (clean) work without it.
find_python313 = $(firstword \
	$(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null) \
	$(shell ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -1))
PYTHON ?= $(eval PYTHON := $(or $(find_python313),$(error Python 3.13 not found. \
	Install it (Debian 13: apt-get install python3.13 python3.13-venv; elsewhere: \
	pyenv install 3.13) or pass PYTHON=/path/to/python3.13)))$(PYTHON)
