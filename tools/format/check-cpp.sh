#!/usr/bin/env bash
# Checks (or with --apply, fixes) the C++ and CUDA style of native/ against .clang-format.
# The pinned formatter is clang-format 15 from npm (clang-format@1.8.0); a clang-format on the
# PATH is used when npm cannot run (Debian's 14 formats these sources identically).
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(git ls-files 'native/*.cpp' 'native/*.cu' 'native/*.cuh' 'native/*.h')
if npx --yes clang-format@1.8.0 --version > /dev/null 2>&1; then
  format=(npx --yes clang-format@1.8.0)
elif command -v clang-format > /dev/null; then
  format=(clang-format)
else
  echo "error: no clang-format (npm's clang-format@1.8.0 or one on the PATH) to check native/ style" >&2
  exit 1
fi
if [[ "${1:-}" == "--apply" ]]; then
  "${format[@]}" -i "${files[@]}"
else
  "${format[@]}" --dry-run --Werror "${files[@]}" || {
    echo "error: native/ sources differ from .clang-format; run tools/format/check-cpp.sh --apply" >&2
    exit 1
  }
fi
