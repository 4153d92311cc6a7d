#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and the repository's own site:
# every tests/fixtures/*/content/**/*.md and tests/fixtures/*/config.yaml, and content/ and
# config.yaml at the root. Run from anywhere; files already in the corpus are kept.
#
#   markdown, front_matter: each Markdown file and each config as it is.
#   site: each site whole in the target's input form (see fuzz_targets/site.rs): a flags
#         byte, the config, then 0xFF and each file named by "\x01<path under content/>\n";
#         and each Markdown file alone as one post under the base config.
set -euo pipefail
cd "$(dirname "$0")"
repo=..

name_of() { # a corpus file name from a path: fixture-relative, '/' -> '_'
  local p=${1#"$repo"/}
  p=${p#tests/fixtures/}
  printf '%s' "${p//\//_}"
}

mkdir -p corpus/markdown corpus/front_matter corpus/site

sites=("$repo")
for dir in "$repo"/tests/fixtures/*/; do sites+=("${dir%/}"); done

for site in "${sites[@]}"; do
  [ -f "$site/config.yaml" ] || [ -d "$site/content" ] || continue
  # Only the files of a fixture: the root's content/ but not tests/.
  configs=()
  [ -f "$site/config.yaml" ] && configs+=("$site/config.yaml")
  mds=()
  if [ -d "$site/content" ]; then
    while IFS= read -r -d '' f; do mds+=("$f"); done \
      < <(find "$site/content" -type f -name '*.md' -print0 | sort -z)
  fi

  for f in "${configs[@]}" "${mds[@]}"; do
    [ -n "$f" ] || continue
    n=$(name_of "$f")
    cp "$f" "corpus/markdown/$n"
    cp "$f" "corpus/front_matter/$n"
  done

  # The whole site, with its own config (flags 0x01: the config is the whole file).
  label=$(name_of "$site")
  [ "$site" = "$repo" ] && label=root
  {
    printf '\x01'
    [ ${#configs[@]} -gt 0 ] && cat "${configs[0]}"
    for f in "${mds[@]}"; do
      [ -n "$f" ] || continue
      printf '\xff\x01%s\n' "${f#"$site"/content/}"
      cat "$f"
    done
  } > "corpus/site/site-$label"

  # Each Markdown file alone, as a post under the base config (flags 0x00, no extra config).
  for f in "${mds[@]}"; do
    [ -n "$f" ] || continue
    { printf '\x00\xff'; cat "$f"; } > "corpus/site/post-$(name_of "$f")"
  done
done

for t in markdown front_matter site; do
  echo "corpus/$t: $(find "corpus/$t" -type f | wc -l) files"
done
