#!/usr/bin/env bash
# The whole test suite, as a newcomer or CI runs it: installs what the tests
# need (Debian packages, when missing), then formatting, lints and tests.
#
#   bash scripts/test.sh
#
# Tests that need php or the Debian corpora fail, not skip, when CI is set
# and the dependency is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: php-cli (php -l, the tokenizer oracle, the
# end-to-end runs); wordpress, libphp-phpmailer, roundcube-core and
# phpmyadmin (real corpora for the tokenizer oracle); patch (the fix diffs
# must apply with patch -p1 as well as git apply).
packages=(php-cli php-mbstring wordpress libphp-phpmailer roundcube-core phpmyadmin patch)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi

cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
