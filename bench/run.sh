#!/usr/bin/env bash
# Benchmark: `phpmailfix check` against `rg -i 'mail\s*\('` on a corpus that
# emulates a server with many sites (Debian's packaged PHP applications,
# copied COPIES times). See bench/README.md for what it measures and why.
#
#   bash bench/run.sh                 # as root: installs what is missing, then all
#   NO_INSTALL=1 bash bench/run.sh    # never call apt-get
#   RUNS=20 WARMUP=3 bash bench/run.sh
#   REBUILD_CORPUS=1 bash bench/run.sh
#   PHPMAILFIX=/path/to/phpmailfix bash bench/run.sh   # skip the cargo build
#   RG_PHP=0 bash bench/run.sh        # leave out the third command (rg on PHP files only)
#
# Steps: (1) apt-get install the packages that are missing, timed;
# (2) build bench/corpus/site01..siteNN (only when its stamp is missing or
# stale); (3) cargo build --release --locked; (4) ONE hyperfine run with
# both commands (and rg restricted to the PHP files phpmailfix reads);
# (5) peak RSS of each with GNU time -v; (6) a summary, also written to
# bench/results/summary.txt. Results go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=${COPIES:-10}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
corpus=bench/corpus
results=bench/results
mkdir -p "$results"

log() { printf '== %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- 1. Packages -----------------------------------------------------------
# The PHP applications of the corpus, the two tools timed, GNU time (peak
# memory) and jq (reads hyperfine's JSON).
packages=(wordpress libphp-phpmailer roundcube-core phpmyadmin mediawiki
  ripgrep hyperfine time jq)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_summary=()
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  install_summary+=("all packages already installed, nothing to install")
elif [ -n "${NO_INSTALL:-}" ] || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  install_summary+=("missing, not installed (run as root, without NO_INSTALL): ${missing[*]}")
else
  export DEBIAN_FRONTEND=noninteractive
  # Debconf answers so that nothing tries to set up a database server.
  debconf-set-selections <<'EOF' || true
phpmyadmin phpmyadmin/dbconfig-install boolean false
phpmyadmin phpmyadmin/reconfigure-webserver multiselect
roundcube-core roundcube/dbconfig-install boolean false
EOF
  install_log=$results/install.log
  : >"$install_log"
  total_start=$(now)
  t=$(now)
  log "apt-get update"
  if apt-get update -q >>"$install_log" 2>&1; then
    install_summary+=("apt-get update: $(since "$t") s")
  else
    install_summary+=("apt-get update: FAILED after $(since "$t") s (see $install_log)")
  fi
  # One package at a time, so that one that fails does not stop the others.
  for p in "${missing[@]}"; do
    t=$(now)
    log "apt-get install $p"
    if apt-get install -y -q --no-install-recommends "$p" >>"$install_log" 2>&1; then
      install_summary+=("install $p: $(since "$t") s")
    else
      install_summary+=("install $p: FAILED after $(since "$t") s (see $install_log)")
      log "installing $p failed, going on without it"
    fi
  done
  install_summary+=("installs in total: $(since "$total_start") s")
fi
# install.txt keeps the figures of the last run that installed anything.
if [ ${#missing[@]} -gt 0 ]; then
  printf '%s\n' "${install_summary[@]}" >"$results/install.txt"
elif [ -s "$results/install.txt" ]; then
  install_summary+=("last install run ($(date -r "$results/install.txt" -u +%Y-%m-%dT%H:%M:%SZ)):")
  while IFS= read -r line; do install_summary+=("  $line"); done <"$results/install.txt"
fi
for tool in rg hyperfine jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "error: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

# --- 2. Corpus --------------------------------------------------------------
# Where Debian puts each application's PHP tree (the first that exists).
sources=()
add_source() { # name dir...
  local name=$1 dir
  shift
  for dir in "$@"; do
    if [ -d "$dir" ]; then sources+=("$name=$dir"); return; fi
  done
  log "no tree for $name (tried $*), left out of the corpus"
}
add_source wordpress /usr/share/wordpress
add_source phpmailer /usr/share/php/libphp-phpmailer
add_source roundcube /usr/share/roundcube
add_source phpmyadmin /usr/share/phpmyadmin
add_source mediawiki /usr/share/mediawiki
[ ${#sources[@]} -gt 0 ] || { echo "error: no PHP tree to build the corpus from" >&2; exit 1; }

stamp=$corpus/.stamp
want_stamp=$(printf 'copies=%s\n' "$COPIES"; printf '%s\n' "${sources[@]}")
if [ -z "${REBUILD_CORPUS:-}" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  log "corpus up to date ($stamp)"
else
  log "building $corpus"
  t=$(now)
  rm -rf "$corpus"
  mkdir -p "$corpus/site01"
  : >"$results/corpus-errors.log"
  for s in "${sources[@]}"; do
    # -L copies what symlinks point to (Debian links config files, bundled
    # libraries and wp-content into these trees); cp reports and skips the
    # dangling and cyclic links, which we tolerate.
    cp -rL "${s#*=}" "$corpus/site01/${s%%=*}" 2>>"$results/corpus-errors.log" || true
  done
  for i in $(seq 2 "$COPIES"); do
    cp -a "$corpus/site01" "$corpus/$(printf 'site%02d' "$i")"
  done
  printf '%s\n' "$want_stamp" >"$stamp"
  log "corpus built in $(since "$t") s ($(wc -l <"$results/corpus-errors.log") copy errors tolerated, see $results/corpus-errors.log)"
fi

# The files both tools walk (rg --files applies the same ignore rules as
# phpmailfix's walker), and the PHP ones among them.
php_globs=(--iglob '*.{php,php3,php4,php5,php6,php7,php8,phtml,inc}')
count_files() { rg --files "$@" "$corpus" | wc -l; }
count_bytes() { rg --files -0 "$@" "$corpus" | du -cb --files0-from=- | tail -n1 | cut -f1; }
all_files=$(count_files)
all_bytes=$(count_bytes)
php_files=$(count_files "${php_globs[@]}")
php_bytes=$(count_bytes "${php_globs[@]}")

# --- 3. Build ---------------------------------------------------------------
if [ -n "${PHPMAILFIX:-}" ]; then
  bin=$PHPMAILFIX
else
  log "cargo build --release --locked"
  cargo build --release --locked
  bin=${CARGO_TARGET_DIR:-target}/release/phpmailfix
fi
[ -x "$bin" ] || { echo "error: no binary at $bin" >&2; exit 1; }
revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ] || revision+=" (src modified)"

# --- 4. Wall time: one hyperfine run, both commands -------------------------
pmf_cmd="$bin check --quiet --fail-on never $corpus > /dev/null"
rg_cmd="rg -i 'mail\\s*\\(' $corpus > /dev/null"
# The same search over the files phpmailfix reads only: a stricter yardstick
# than the issue's, since plain rg also reads the JS, CSS, JSON... files.
rg_php_cmd="rg -i --iglob '*.{php,php3,php4,php5,php6,php7,php8,phtml,inc}' 'mail\\s*\\(' $corpus > /dev/null"
extra=()
[ "${RG_PHP:-1}" = 0 ] || extra=(-n rg-php "$rg_php_cmd")
# The machine is often shared: say how busy it was, since other work on
# the same cores slows both commands and widens the spread.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  log "warning: load average $load_before on $(nproc) cores; other work will skew the times"
fi
log "hyperfine --warmup $WARMUP --runs $RUNS"
hyperfine --warmup "$WARMUP" --runs "$RUNS" \
  --export-json "$results/hyperfine.json" \
  --export-markdown "$results/hyperfine.md" \
  -n phpmailfix "$pmf_cmd" \
  -n rg "$rg_cmd" \
  "${extra[@]}"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
mean_of() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$results/hyperfine.json"; }
stddev_of() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .stddev' "$results/hyperfine.json"; }
cpu_of() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .user + .system' "$results/hyperfine.json"; }
pmf_mean=$(mean_of phpmailfix)
rg_mean=$(mean_of rg)
pmf_sd=$(stddev_of phpmailfix)
rg_sd=$(stddev_of rg)

# --- 5. Peak memory ---------------------------------------------------------
peak_kb() { # output-file command...
  local out=$1
  shift
  /usr/bin/time -v -o "$out" "$@" >/dev/null 2>>"$results/stderr.log" || true
  awk -F': *' '/Maximum resident set size/ { print $2 }' "$out"
}
: >"$results/stderr.log"
pmf_kb=$(peak_kb "$results/time-phpmailfix.txt" "$bin" check --quiet --fail-on never "$corpus")
rg_kb=$(peak_kb "$results/time-rg.txt" rg -i 'mail\s*\(' "$corpus")

# --- 6. What phpmailfix saw (optional figures) -------------------------------
calls_json=$results/calls.json
"$bin" calls --output-format json "$corpus" >"$calls_json" 2>>"$results/stderr.log" || true
scanned=$(jq -r '.files_scanned // "?"' "$calls_json" 2>/dev/null || echo "?")
with_calls=$(jq -r '[.calls[]?.path] | unique | length' "$calls_json" 2>/dev/null || echo "?")
n_calls=$(jq -r '.calls | length' "$calls_json" 2>/dev/null || echo "?")
# The prefilter's decision, emulated with rg (multiline, so that `mail\n(`
# counts) after the rules of src/prefilter.rs: `mail` or `mb_send_mail` not
# after an identifier byte, `$`, `->` or `::`, then `(`, a comment or ` as`;
# or a quoted 'mail' after `(`, `,` or `=` and before `,`, `)` or `;`. It
# over-counts a little (`-> mail(`, `$f = 'mail';` whose `$f` is never
# called), so it is an upper bound.
ws='[ \t\r\n\f\v]'
quoted="['\"]\\\\*(?:mb_send_)?mail['\"]"
prefilter_re="(?:^|[^A-Za-z0-9_\$>:\\x{80}-\\x{10FFFF}])(?:mb_send_)?mail(?:${ws}*(?:\\(|/[*/]|#)|${ws}+as\\b)|[(,=]${ws}*${quoted}${ws}*[,);]"
passing=$(rg -U -i -l "${php_globs[@]}" -e "$prefilter_re" "$corpus" 2>/dev/null | wc -l || echo "?")

# --- Summary ----------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
{
  echo "phpmailfix benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), revision $revision, $(nproc) cores"
  echo "installs:"
  printf '  %s\n' "${install_summary[@]}"
  echo "corpus: $corpus, $COPIES copies of: ${sources[*]%%=*}"
  echo "  all files walked (what rg searches): $all_files files, $(mb $((all_bytes / 1024)))"
  echo "  PHP files (what phpmailfix scans):   $php_files files, $(mb $((php_bytes / 1024)))"
  echo "  phpmailfix files_scanned: $scanned; passing the prefilter (rg emulation): $passing" \
    "($(awk -v p="$passing" -v n="$php_files" 'BEGIN { if (n > 0 && p ~ /^[0-9]+$/) printf "%.2f%%", 100 * p / n; else print "?" }'))"
  echo "  files with calls: $with_calls, calls: $n_calls"
  echo "wall time (hyperfine, warmup $WARMUP, $RUNS runs, mean ± sd):"
  echo "  phpmailfix: $(ms "$pmf_mean") ± $(ms "$pmf_sd")   [$pmf_cmd]"
  echo "  rg:         $(ms "$rg_mean") ± $(ms "$rg_sd")   [$rg_cmd]"
  if [ ${#extra[@]} -gt 0 ]; then
    rg_php_mean=$(mean_of rg-php)
    echo "  rg-php:     $(ms "$rg_php_mean") ± $(ms "$(stddev_of rg-php)")   [$rg_php_cmd]"
  fi
  echo "  CPU time (user + system, mean): phpmailfix $(ms "$(cpu_of phpmailfix)"), rg $(ms "$(cpu_of rg)")"
  echo "  load average before/after: $load_before / $load_after"
  echo "  ratio phpmailfix/rg: $(awk -v a="$pmf_mean" -v b="$rg_mean" 'BEGIN { printf "%.2fx", a / b }') (target: <= 1.2x)"
  if [ ${#extra[@]} -gt 0 ]; then
    echo "  ratio phpmailfix/rg-php: $(awk -v a="$pmf_mean" -v b="$rg_php_mean" 'BEGIN { printf "%.2fx", a / b }') (for information)"
  fi
  echo "peak memory (GNU time -v, maximum resident set size, one run):"
  echo "  phpmailfix: $(mb "$pmf_kb") (target: < 100 MB)"
  echo "  rg:         $(mb "$rg_kb")"
} | tee "$results/summary.txt"
