#!/usr/bin/env bash
# Checks that every C++ file of the project is formatted as .clang-format says (run by ctest as
# `format`; ./dev.sh test installs clang-format). `clang-format -i FILE` fixes a file. Every
# folder of the tree is looked in (a new library needs no entry here), except build folders and
# hidden ones.
set -euo pipefail
cd "${1:?usage: check_format.sh SOURCE_DIR}"
command -v clang-format >/dev/null || { echo "clang-format is not installed (apt install clang-format)" >&2; exit 1; }
find . \( -path './build*' -o -path './.*' \) -prune -o -type f \( -name '*.cc' -o -name '*.h' \) \
  -print0 | sort -z | xargs -0 clang-format --dry-run -Werror
