#!/usr/bin/env bash
# Checks that every relative link in the repository's Markdown files resolves (run by ctest as
# `doc_links`): the file or folder it names exists inside the repository, and for `file.md#anchor`
# (or `#anchor` alone) the anchor is a heading of that file, slugged as GitHub does: the heading's
# text as shown (no backticks, emphasis or link targets), lowercased, every character but letters,
# digits, spaces, '-' and '_' dropped, spaces made '-', and a repeated slug given -1, -2, ….
# (GitHub keeps letters outside ASCII too; this drops them, and no heading here has one.)
# Links inside code blocks and code spans are not links; web addresses are not checked.
# Written in bash and awk (mawk is part of every Debian system) so that it needs nothing more.
set -euo pipefail
cd "${1:?usage: check_doc_links.sh SOURCE_DIR}"

mapfile -t files < <(find . -mindepth 1 \( -name '.*' -o -path './build*' \) -prune \
  -o -name '*.md' -print | sed 's|^\./||' | sort)
[ ${#files[@]} -gt 0 ] || { echo "no Markdown files found under $PWD" >&2; exit 1; }

# One line per heading ("H<TAB>file<TAB>slug") and per link ("L<TAB>file<TAB>line<TAB>target").
extract() {
  awk '
    function shown(text,   inner) {
      while (match(text, /\[[^]]*\]\([^)]*\)/)) {
        inner = substr(text, RSTART + 1, RLENGTH - 1)
        inner = substr(inner, 1, index(inner, "](") - 1)
        text = substr(text, 1, RSTART - 1) inner substr(text, RSTART + RLENGTH)
      }
      gsub(/[`*]/, "", text)
      return text
    }
    function slug(text) {
      text = tolower(shown(text))
      gsub(/[^a-z0-9 _-]/, "", text)
      gsub(/ /, "-", text)
      return text
    }
    function links(text,   target) {
      gsub(/`[^`]*`/, "", text)
      if (match(text, /^ *\[[^]]+\]: */)) {
        target = substr(text, RSTART + RLENGTH)
        sub(/ .*/, "", target)
        print "L\t" FILENAME "\t" FNR "\t" target
        return
      }
      while (match(text, /\]\([^)]*\)/)) {
        target = substr(text, RSTART + 2, RLENGTH - 3)
        sub(/^</, "", target); sub(/>$/, "", target); sub(/ .*/, "", target)
        print "L\t" FILENAME "\t" FNR "\t" target
        text = substr(text, RSTART + RLENGTH)
      }
    }
    FNR == 1 { fenced = 0; split("", seen) }
    /^ *(```|~~~)/ { fenced = !fenced; next }
    fenced { next }
    /^#+[ \t]/ {
      heading = $0
      sub(/^#+[ \t]+/, "", heading); sub(/[ \t]+#+[ \t]*$/, "", heading); sub(/[ \t]+$/, "", heading)
      s = slug(heading)
      if (s in seen) { seen[s]++; s = s "-" seen[s] } else { seen[s] = 0 }
      print "H\t" FILENAME "\t" s
    }
    { links($0) }
  ' "$@"
}

# Sets REPLY to "a/b/../c/./d" as "a/c/d" (".." left in front when the path climbs out of the
# repository), without starting a process: one per link made the test take seconds on a busy
# machine.
normalize() {
  local part out=()
  local -a parts
  IFS=/ read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    case "$part" in
      '' | .) ;;
      ..) if [ ${#out[@]} -gt 0 ] && [ "${out[-1]}" != .. ]; then unset 'out[-1]'; else out+=(..); fi ;;
      *) out+=("$part") ;;
    esac
  done
  local IFS=/
  REPLY="${out[*]}"
}

declare -A is_heading
links=()
while IFS=$'\t' read -r kind file rest; do
  if [ "$kind" = H ]; then is_heading["$file#$rest"]=1; else links+=("$file"$'\t'"$rest"); fi
done < <(extract "${files[@]}")

checked=0
broken=0
for link in "${links[@]}"; do
  IFS=$'\t' read -r file line target <<<"$link"
  case "$target" in
    '' | [a-zA-Z]*:*) continue ;;  # a web address (https:, mailto:), not a file
  esac
  path=${target%%#*}
  anchor=
  [[ $target == *'#'* ]] && anchor=${target#*#}
  folder=.
  [[ $file == */* ]] && folder=${file%/*}
  resolved=$file
  if [ -n "$path" ]; then
    normalize "$folder/$path"
    resolved=$REPLY
  fi
  checked=$((checked + 1))
  if [[ $resolved == .. || $resolved == ../* ]]; then
    echo "$file:$line: $target points outside the repository" >&2
    broken=$((broken + 1))
  elif [ ! -e "${resolved:-.}" ]; then
    echo "$file:$line: $target: $resolved does not exist" >&2
    broken=$((broken + 1))
  elif [ -n "$anchor" ] && [[ $resolved == *.md ]] && [ -z "${is_heading["$resolved#$anchor"]:-}" ]; then
    echo "$file:$line: $target: $resolved has no heading with the anchor #$anchor" >&2
    broken=$((broken + 1))
  fi
done

# Guards against passing vacuously because nothing was found.
[ "$checked" -gt 0 ] || { echo "no relative links found in ${#files[@]} Markdown files" >&2; exit 1; }
if [ "$broken" -gt 0 ]; then
  echo "$broken of $checked relative links in ${#files[@]} Markdown files are broken" >&2
  exit 1
fi
echo "all $checked relative links in ${#files[@]} Markdown files resolve"
