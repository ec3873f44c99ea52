#!/usr/bin/env bash
# Checks that every C++ file of the project is formatted as .clang-format says (run by ctest as
# `format`; ./dev.sh test installs clang-format). `clang-format -i FILE` fixes a file.
set -euo pipefail
cd "${1:?usage: check_format.sh SOURCE_DIR}"
command -v clang-format >/dev/null || { echo "clang-format is not installed (apt install clang-format)" >&2; exit 1; }
find base crypto storage protocol node cli tests bench -name '*.cc' -o -name '*.h' | sort |
  xargs clang-format --dry-run -Werror
