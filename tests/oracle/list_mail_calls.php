<?php
// An independent oracle for `phpmailfix calls`: lists every direct call of
// PHP's builtin mail()/mb_send_mail() using PHP's own tokenizer
// (token_get_all), with no code shared with phpmailfix.
//
//   php tests/oracle/list_mail_calls.php PATH...
//
// Prints a JSON list of {"path","line","column","function"}, sorted by path
// (component by component, like Rust's Path ordering) then position.
//
// Walk: like phpmailfix's defaults. Explicit file arguments are always read;
// in directories, files with the extensions below (any case), no symlinks
// followed, hidden files and directories (name starting with '.') skipped.
// .gitignore files are not read.
//
// A direct call is a name token followed, after whitespace and comments, by
// `(` (and not a first-class callable `name(...)`):
// - `mail`/`mb_send_mail` in any case, unless an import (`use function
//   X\mail;`, `use function X\y as mail;`, group forms) seen earlier in the
//   same namespace block makes it another function, or, in a namespace,
//   the file declares that namespace's own `function mail`; an import of a
//   builtin under another name (`use function mail as m;`) makes `m(` a
//   call of the builtin;
// - `\mail` (T_NAME_FULLY_QUALIFIED);
// - `namespace\mail` (T_NAME_RELATIVE) outside any namespace;
// and not preceded (skipping whitespace and comments) by `->`, `?->`, `::`,
// `function` (also `function &`), `new`, `const`, nor inside an attribute
// `#[...]`.
//
// Line: 1-based, counting "\n". Column: 1-based, in characters when the line
// prefix up to the call is valid UTF-8, else in bytes. The position is the
// start of the name token (the backslash of `\mail`, the `m` of `@mail(`).
//
// What the tokenizer sees depends on short_open_tag (a bare `<?` opens PHP
// only when it is on); tests/oracle.rs runs this script with
// `-d short_open_tag=0`, Debian's default, so php.ini cannot change the
// answer.

declare(strict_types=1);

const EXTENSIONS = ['php', 'php3', 'php4', 'php5', 'php6', 'php7', 'php8', 'phtml', 'inc'];
const BUILTINS = ['mail', 'mb_send_mail'];

function join_path(string $dir, string $name): string
{
    return str_ends_with($dir, '/') ? $dir . $name : $dir . '/' . $name;
}

/** The path as phpmailfix prints it: a leading `./` dropped. */
function display_path(string $path): string
{
    while (str_starts_with($path, './')) {
        $path = ltrim(substr($path, 2), '/');
    }
    return $path;
}

function walk(string $dir, array &$files): void
{
    $names = scandir($dir);
    if ($names === false) {
        fwrite(STDERR, "list_mail_calls: cannot read directory $dir\n");
        exit(2);
    }
    foreach ($names as $name) {
        if ($name === '' || $name[0] === '.') {
            continue; // ., .. and hidden entries
        }
        $path = join_path($dir, $name);
        if (is_link($path)) {
            continue;
        }
        if (is_dir($path)) {
            walk($path, $files);
        } elseif (is_file($path)) {
            $ext = strtolower(pathinfo($name, PATHINFO_EXTENSION));
            if (in_array($ext, EXTENSIONS, true)) {
                $files[] = $path;
            }
        }
    }
}

/** Tokens as [id, text, byte offset]; single-char tokens get their char as id. */
function tokens(string $src): array
{
    $out = [];
    $offset = 0;
    foreach (token_get_all($src) as $t) {
        [$id, $text] = is_array($t) ? [$t[0], $t[1]] : [$t, $t];
        $out[] = [$id, $text, $offset];
        $offset += strlen($text);
    }
    if ($offset !== strlen($src)) {
        throw new RuntimeException("tokens do not cover the file ($offset of " . strlen($src) . ' bytes)');
    }
    return $out;
}

function is_trivia($id): bool
{
    return $id === T_WHITESPACE || $id === T_COMMENT || $id === T_DOC_COMMENT;
}

/** [line, column] of byte $offset, phpmailfix's convention. */
function position(string $src, int $offset): array
{
    $line = substr_count($src, "\n", 0, $offset) + 1;
    $newline = strrpos(substr($src, 0, $offset), "\n");
    $lineStart = $newline === false ? 0 : $newline + 1;
    $prefix = substr($src, $lineStart, $offset - $lineStart);
    if (preg_match('//u', $prefix) === 1) {
        // Valid UTF-8: count code points (every byte that is not a
        // continuation byte starts one).
        $column = strlen($prefix) - preg_match_all('/[\x80-\xBF]/', $prefix);
    } else {
        $column = strlen($prefix);
    }
    return [$line, $column + 1];
}

/**
 * Reads a `use` declaration starting after the T_USE token at significant
 * index $i. Returns [local lower-case name => lower-case target without
 * leading backslash] for its function imports, and the index of its `;`.
 */
function read_use(array $sig, int $i): array
{
    $n = count($sig);
    $kind = 'class';
    $j = $i + 1;
    if ($j < $n && ($sig[$j][0] === T_FUNCTION || $sig[$j][0] === T_CONST)) {
        $kind = $sig[$j][0] === T_FUNCTION ? 'function' : 'const';
        $j++;
    }
    $imports = [];
    $isName = fn($id) => $id === T_STRING || $id === T_NAME_QUALIFIED || $id === T_NAME_FULLY_QUALIFIED;
    $clause = function (string $target, ?string $alias, string $clauseKind) use (&$imports) {
        if ($clauseKind !== 'function') {
            return;
        }
        $target = strtolower(ltrim($target, '\\'));
        $parts = explode('\\', $target);
        $local = strtolower($alias ?? end($parts));
        $imports[$local] = $target;
    };
    while ($j < $n) {
        if (!$isName($sig[$j][0])) {
            break;
        }
        $name = $sig[$j][1];
        $j++;
        if ($j + 1 < $n && $sig[$j][0] === T_NS_SEPARATOR && $sig[$j + 1][0] === '{') {
            $j += 2;
            while ($j < $n && $sig[$j][0] !== '}') {
                $clauseKind = $kind;
                if ($sig[$j][0] === T_FUNCTION || $sig[$j][0] === T_CONST) {
                    $clauseKind = $sig[$j][0] === T_FUNCTION ? 'function' : 'const';
                    $j++;
                }
                if ($j >= $n || !$isName($sig[$j][0])) {
                    break;
                }
                $inner = $sig[$j][1];
                $j++;
                $alias = null;
                if ($j + 1 < $n && $sig[$j][0] === T_AS) {
                    $alias = $sig[$j + 1][1];
                    $j += 2;
                }
                $clause(ltrim($name, '\\') . '\\' . $inner, $alias, $clauseKind);
                if ($j < $n && $sig[$j][0] === ',') {
                    $j++;
                }
            }
            $j++; // past '}'
        } else {
            $alias = null;
            if ($j + 1 < $n && $sig[$j][0] === T_AS) {
                $alias = $sig[$j + 1][1];
                $j += 2;
            }
            $clause($name, $alias, $kind);
        }
        if ($j < $n && $sig[$j][0] === ',') {
            $j++;
            continue;
        }
        break;
    }
    return [$imports, $j];
}

/** The direct builtin calls in one file's source: list of [offset, function]. */
function calls_in(string $src): array
{
    // Every call, even through an alias, needs "mail" somewhere in the file
    // (in its name or in the `use function` that imports it).
    if (stripos($src, 'mail') === false) {
        return [];
    }
    $sig = [];
    foreach (tokens($src) as $t) {
        if (!is_trivia($t[0])) {
            $sig[] = $t;
        }
    }
    $n = count($sig);

    // Pass 1: namespace blocks, the namespace-level functions the file
    // declares, imports, and candidate names with the block they are in.
    $blockNames = [];          // block id => lower-case namespace name
    $block = -1;               // -1: code outside any namespace declaration
    $blockNames[-1] = '';
    $declared = [];            // lower-case namespace name => [fn => true]
    $imports = [-1 => []];     // block id => [local => target], grows in order
    $candidates = [];          // [sig index, block id, imports snapshot]
    $braces = [];              // stack of 'class' | 'ns' | 'other'
    $parens = 0;
    $pendingClass = null;      // paren depth at a class-like keyword
    $attribute = 0;            // bracket depth inside #[...]

    for ($i = 0; $i < $n; $i++) {
        [$id, $text] = $sig[$i];
        $prev = $i > 0 ? $sig[$i - 1][0] : null;

        if ($attribute > 0) {
            if ($id === '[') {
                $attribute++;
            } elseif ($id === ']') {
                $attribute--;
            }
            continue;
        }
        switch (true) {
            case $id === T_ATTRIBUTE:
                $attribute = 1;
                continue 2;
            case $id === '(':
                $parens++;
                continue 2;
            case $id === ')':
                $parens--;
                continue 2;
            case $id === T_CLASS && $prev !== T_DOUBLE_COLON:
            case $id === T_INTERFACE:
            case $id === T_TRAIT:
            case $id === T_ENUM:
                $pendingClass = $parens;
                continue 2;
            case $id === '{':
                if ($pendingClass !== null && $pendingClass === $parens) {
                    $braces[] = 'class';
                    $pendingClass = null;
                } else {
                    $braces[] = 'other';
                }
                continue 2;
            case $id === T_CURLY_OPEN:
            case $id === T_DOLLAR_OPEN_CURLY_BRACES:
                $braces[] = 'other';
                continue 2;
            case $id === '}':
                if (array_pop($braces) === 'ns') {
                    $block = -1;
                }
                continue 2;
            case $id === T_NAMESPACE:
                // A declaration (`namespace\x` is one T_NAME_RELATIVE token).
                $name = '';
                $j = $i + 1;
                if ($j < $n && in_array($sig[$j][0], [T_STRING, T_NAME_QUALIFIED], true)) {
                    $name = strtolower($sig[$j][1]);
                    $j++;
                }
                $block = count($blockNames) - 1;
                $blockNames[$block] = $name;
                $imports[$block] = [];
                if ($j < $n && $sig[$j][0] === '{') {
                    $braces[] = 'ns';
                    $i = $j;
                } else {
                    $i = $j - 1;
                }
                continue 2;
            case $id === T_USE && $prev !== ')' && end($braces) !== 'class':
                [$found, $end] = read_use($sig, $i);
                $imports[$block] = array_merge($imports[$block], $found);
                // Resume after the `;` (or at whatever ended a malformed one).
                $i = ($end < $n && $sig[$end][0] === ';') ? $end : $end - 1;
                continue 2;
            case $id === T_FUNCTION:
                $j = $i + 1;
                if ($j < $n && $sig[$j][0] === T_AMPERSAND_NOT_FOLLOWED_BY_VAR_OR_VARARG) {
                    $j++;
                }
                if ($j < $n && $sig[$j][0] === T_STRING && end($braces) !== 'class') {
                    $declared[$blockNames[$block]][strtolower($sig[$j][1])] = true;
                }
                continue 2;
        }

        if (!in_array($id, [T_STRING, T_NAME_FULLY_QUALIFIED, T_NAME_RELATIVE], true)) {
            continue;
        }
        if (in_array($prev, [T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW, T_CONST], true)) {
            continue;
        }
        if ($prev === T_AMPERSAND_NOT_FOLLOWED_BY_VAR_OR_VARARG && $i > 1 && $sig[$i - 2][0] === T_FUNCTION) {
            continue;
        }
        if ($i + 1 >= $n || $sig[$i + 1][0] !== '(') {
            continue;
        }
        if ($i + 3 < $n && $sig[$i + 2][0] === T_ELLIPSIS && $sig[$i + 3][0] === ')') {
            continue; // first-class callable
        }
        $candidates[] = [$i, $block, $imports[$block]];
    }

    // Pass 2: resolve each candidate name.
    $out = [];
    foreach ($candidates as [$i, $blk, $imported]) {
        [$id, $text, $offset] = $sig[$i];
        $lower = strtolower($text);
        $namespace = $blockNames[$blk];
        $function = null;
        if ($id === T_NAME_FULLY_QUALIFIED) {
            $function = substr($lower, 1);
        } elseif ($id === T_NAME_RELATIVE) {
            if ($namespace === '') {
                $function = substr($lower, strlen('namespace\\'));
            }
        } elseif (isset($imported[$lower])) {
            $function = $imported[$lower];
        } elseif ($namespace === '' || !isset($declared[$namespace][$lower])) {
            $function = $lower;
        }
        if ($function !== null && in_array($function, BUILTINS, true)) {
            $out[] = [$offset, $function];
        }
    }
    return $out;
}

function compare_paths(string $a, string $b): int
{
    $x = explode('/', $a);
    $y = explode('/', $b);
    $len = min(count($x), count($y));
    for ($k = 0; $k < $len; $k++) {
        $c = strcmp($x[$k], $y[$k]);
        if ($c !== 0) {
            return $c;
        }
    }
    return count($x) <=> count($y);
}

function main(array $args): int
{
    if ($args === []) {
        fwrite(STDERR, "usage: php list_mail_calls.php PATH...\n");
        return 2;
    }
    $files = [];
    foreach ($args as $arg) {
        if (is_dir($arg)) {
            walk($arg, $files);
        } elseif (is_file($arg)) {
            $files[] = $arg;
        } else {
            fwrite(STDERR, "list_mail_calls: $arg: no such file or directory\n");
            return 2;
        }
    }
    $files = array_values(array_unique(array_map('display_path', $files)));
    usort($files, 'compare_paths');
    $result = [];
    foreach ($files as $path) {
        $src = file_get_contents($path);
        if ($src === false) {
            fwrite(STDERR, "list_mail_calls: cannot read $path\n");
            return 2;
        }
        $calls = calls_in($src);
        usort($calls, fn($a, $b) => $a[0] <=> $b[0]);
        foreach ($calls as [$offset, $function]) {
            [$line, $column] = position($src, $offset);
            $result[] = ['path' => $path, 'line' => $line, 'column' => $column, 'function' => $function];
        }
    }
    echo json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR), "\n";
    return 0;
}

exit(main(array_slice($argv, 1)));
