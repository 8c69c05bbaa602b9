#!/bin/sh
# Stands in for sendmail in the end-to-end tests of `phpmailfix fix`.
#
#   php -d sendmail_path="sh /path/sendmail-capture.sh DIR" script.php
#
# PHP runs sendmail_path through the shell and appends the mail() call's
# additional params (-fADDR...) after it. Each message it pipes in is kept
# as DIR/message-N, the arguments after DIR as DIR/argv-N (one per line),
# N counting from 1 in the order the messages were sent.
set -eu
dir=$1
shift
mkdir -p "$dir"
n=1
while [ -e "$dir/argv-$n" ]; do
  n=$((n + 1))
done
: > "$dir/argv-$n.tmp"
for arg in "$@"; do
  printf '%s\n' "$arg" >> "$dir/argv-$n.tmp"
done
cat > "$dir/message-$n"
mv "$dir/argv-$n.tmp" "$dir/argv-$n"
