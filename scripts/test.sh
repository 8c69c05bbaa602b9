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
# must apply with patch -p1 as well as git apply); mariadb-server and
# php-mysql (tests/wordpress_e2e.rs installs WordPress into a throwaway
# MariaDB of its own, never the system service); postfix (trace's
# end-to-end test runs its own loopback-only instance; the system's Postfix
# is left unconfigured and is not started).
packages=(php-cli php-mbstring wordpress libphp-phpmailer roundcube-core phpmyadmin patch mariadb-server php-mysql postfix)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi

# The SARIF validators of tests/formats.rs, installed once under
# target/tools (or $PHPMAILFIX_TOOLS), never fetched by the tests:
# Microsoft's SARIF Multitool from npm, and Python's jsonschema (with its
# format checkers) for the SARIF 2.1.0 schema the Multitool package ships.
tools="${PHPMAILFIX_TOOLS:-$PWD/target/tools}"
multitool_version=5.7.0
jsonschema_version=4.26.0
multitool="$tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ "$(cat "$tools/sarif-multitool/.installed" 2>/dev/null)" != "$multitool_version" ]; then
  if command -v npm >/dev/null; then
    echo "installing @microsoft/sarif-multitool@$multitool_version into $tools/sarif-multitool"
    rm -rf "$tools/sarif-multitool"
    npm install --prefix "$tools/sarif-multitool" --no-audit --no-fund --loglevel=error \
      "@microsoft/sarif-multitool@$multitool_version"
    chmod u+x "$multitool" # its postinstall step, which npm may not run
    echo "$multitool_version" >"$tools/sarif-multitool/.installed"
  else
    echo "npm is missing: SARIF output is not validated (apt-get install npm)" >&2
  fi
fi
if [ "$(cat "$tools/jsonschema/.installed" 2>/dev/null)" != "$jsonschema_version" ]; then
  echo "installing jsonschema[format-nongpl]==$jsonschema_version into $tools/jsonschema"
  rm -rf "$tools/jsonschema"
  log="$(mktemp)"
  if python3 -m pip install --quiet --disable-pip-version-check --no-warn-conflicts \
    --target "$tools/jsonschema" "jsonschema[format-nongpl]==$jsonschema_version" >"$log" 2>&1; then
    echo "$jsonschema_version" >"$tools/jsonschema/.installed"
  else
    cat "$log" >&2
    echo "could not install jsonschema: SARIF output is not validated" >&2
  fi
  rm -f "$log"
fi

cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
