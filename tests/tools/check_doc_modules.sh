#!/usr/bin/env bash
# Checks that docs/architecture.md describes folders that exist (run by ctest as `doc_modules`):
# every module its "The modules" section names in a heading (### `name/`) is a folder of the
# repository, and so is every folder named in that section's diagram of arrows.
set -euo pipefail
cd "${1:?usage: check_doc_modules.sh SOURCE_DIR}"
doc=docs/architecture.md
[ -f "$doc" ] || { echo "$doc is missing" >&2; exit 1; }

# The section from "## The modules" to the next "## " heading.
section=$(awk '/^## / { inside = ($0 == "## The modules") } inside' "$doc")
mapfile -t modules < <(sed -n 's|^### `\([a-z_]*\)/`$|\1|p' <<<"$section")
[ ${#modules[@]} -ge 5 ] || {
  echo "$doc: found ${#modules[@]} module headings (### \`name/\`) under \"## The modules\"" >&2
  exit 1
}

# The diagram's words that are not third-party libraries nor prose must be modules described.
diagram=$(awk '/^```/ { n++; next } n == 1' <<<"$section")
missing=0
for word in $(tr 'A-Z' 'a-z' <<<"$diagram" | grep -o '[a-z_]\+' | sort -u); do
  case "$word" in every | module | libsodium | sqlite) continue ;; esac
  if ! printf '%s\n' "${modules[@]}" | grep -qxF "$word"; then
    echo "$doc: the diagram names $word, which has no section of its own" >&2
    missing=$((missing + 1))
  fi
done
for module in "${modules[@]}"; do
  if [ ! -d "$module" ]; then
    echo "$doc: the module $module/ does not exist" >&2
    missing=$((missing + 1))
  fi
done
[ "$missing" -eq 0 ] || exit 1
echo "the ${#modules[@]} modules of $doc exist: ${modules[*]}"
