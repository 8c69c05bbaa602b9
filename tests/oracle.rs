//! An independent oracle on real code: `tests/oracle/list_mail_calls.php`
//! lists the direct calls of the builtin `mail()`/`mb_send_mail()` with PHP's
//! own tokenizer, and `phpmailfix calls` must report exactly the same
//! (path, line, column, function) list on Debian's PHP trees.
//!
//! Needs `php` (Debian package php-cli) and the corpora (the packages in
//! `CORPORA`). When one is missing the tests fail if `CI` is set (non-empty,
//! as in `scripts/test.sh`), and otherwise print a notice and pass.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One direct call: path, line, column, function.
type Call = (String, u64, u64, String);

/// Debian trees compared, with the package that installs each.
const WORDPRESS: (&str, &str) = ("/usr/share/wordpress", "wordpress");
const PHPMAILER: (&str, &str) = ("/usr/share/php/libphp-phpmailer", "libphp-phpmailer");
const ROUNDCUBE: (&str, &str) = ("/usr/share/roundcube", "roundcube-core");
const PHPMYADMIN: (&str, &str) = ("/usr/share/phpmyadmin", "phpmyadmin");

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// True when the dependency is there. When it is not: panics under CI,
/// otherwise prints a notice and returns false (the caller returns).
fn require(present: bool, what: &str, package: &str) -> bool {
    if present {
        return true;
    }
    let message = format!("{what} is missing; install it with: sudo apt-get install {package}");
    assert!(!in_ci(), "{message}");
    // Straight to stderr: the test harness captures `eprintln!`.
    let _ = writeln!(std::io::stderr(), "notice: oracle test skipped: {message}");
    false
}

fn php_present() -> bool {
    Command::new("php")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn oracle_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/list_mail_calls.php")
}

/// The oracle's list for `paths`. php.ini settings that change what the
/// tokenizer sees or what reaches stdout are pinned.
fn oracle_calls(paths: &[&Path]) -> Vec<Call> {
    let output = Command::new("php")
        .args([
            "-d",
            "short_open_tag=0",
            "-d",
            "display_errors=stderr",
            "-d",
            "memory_limit=-1",
        ])
        .arg(oracle_script())
        .args(paths)
        .output()
        .expect("run php");
    assert!(
        output.status.success(),
        "the oracle script failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let list: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the oracle's output is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    list.as_array()
        .expect("the oracle prints a JSON list")
        .iter()
        .map(call_of)
        .collect()
}

/// phpmailfix's direct calls for `dir`, and the number of files it scanned.
fn phpmailfix_calls(dir: &Path) -> (Vec<Call>, u64) {
    let output = Command::new(env!("CARGO_BIN_EXE_phpmailfix"))
        .args(["calls", "--output-format", "json"])
        .arg(dir)
        .output()
        .expect("run phpmailfix");
    assert!(
        output.status.success(),
        "phpmailfix calls failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value =
        serde_json::from_slice(&output.stdout).expect("phpmailfix calls prints JSON");
    let errors = &document["errors"];
    assert!(
        errors.as_array().is_none_or(|e| e.is_empty()),
        "phpmailfix reported errors: {errors}"
    );
    let calls = document["calls"]
        .as_array()
        .expect("a `calls` list")
        .iter()
        .filter(|c| c["kind"] == "direct")
        .map(call_of)
        .collect();
    let files = document["files_scanned"].as_u64().unwrap_or_default();
    (calls, files)
}

fn call_of(entry: &Value) -> Call {
    let field = |name: &str| &entry[name];
    let text = |name: &str| {
        field(name)
            .as_str()
            .unwrap_or_else(|| panic!("`{name}` is not a string in {entry}"))
            .to_string()
    };
    let number = |name: &str| {
        field(name)
            .as_u64()
            .unwrap_or_else(|| panic!("`{name}` is not a number in {entry}"))
    };
    (
        text("path"),
        number("line"),
        number("column"),
        text("function"),
    )
}

fn show(call: &Call) -> String {
    let (path, line, column, function) = call;
    format!("{path}:{line}:{column}: {function}()")
}

/// A readable account of how `oracle` and `phpmailfix` differ, or None.
fn difference(oracle: &[Call], phpmailfix: &[Call]) -> Option<String> {
    if oracle == phpmailfix {
        return None;
    }
    // Multiset difference, so duplicates and order are both visible.
    let mut counts: BTreeMap<&Call, i64> = BTreeMap::new();
    for call in oracle {
        *counts.entry(call).or_default() += 1;
    }
    for call in phpmailfix {
        *counts.entry(call).or_default() -= 1;
    }
    let mut out = String::new();
    for (call, count) in &counts {
        let (sign, who) = if *count > 0 {
            ('-', "only the oracle (missed by phpmailfix)")
        } else {
            ('+', "only phpmailfix (not a builtin call per the oracle)")
        };
        for _ in 0..count.unsigned_abs() {
            writeln!(out, "  {sign} {}   [{who}]", show(call)).unwrap();
        }
    }
    if out.is_empty() {
        let at = oracle
            .iter()
            .zip(phpmailfix)
            .position(|(a, b)| a != b)
            .expect("equal multisets of equal length differ somewhere");
        writeln!(
            out,
            "  same calls, different order: entry {at} is {} in the oracle, {} in phpmailfix",
            show(&oracle[at]),
            show(&phpmailfix[at])
        )
        .unwrap();
    }
    Some(out)
}

/// Compares the oracle and phpmailfix on one Debian tree. Returns the
/// oracle's list (empty when skipped).
fn check_corpus((dir, package): (&str, &str)) -> Vec<Call> {
    if !require(php_present(), "php", "php-cli") || !require(Path::new(dir).is_dir(), dir, package)
    {
        return Vec::new();
    }
    let dir = Path::new(dir);
    let oracle = oracle_calls(&[dir]);
    let (phpmailfix, files) = phpmailfix_calls(dir);
    let counts = format!(
        "{}: oracle {} direct calls, phpmailfix {} direct calls ({files} files scanned)",
        dir.display(),
        oracle.len(),
        phpmailfix.len()
    );
    println!("{counts}");
    if let Some(diff) = difference(&oracle, &phpmailfix) {
        panic!("{counts}\n(-: oracle only, +: phpmailfix only)\n{diff}");
    }
    oracle
}

#[test]
fn wordpress() {
    let calls = check_corpus(WORDPRESS);
    // The oracle must not silently find nothing: WordPress bundles
    // PHPMailer, whose mailPassthru() calls mail().
    if Path::new(WORDPRESS.0).is_dir() && php_present() {
        assert!(
            calls.iter().any(|(path, _, _, function)| {
                path.ends_with("wp-includes/PHPMailer/PHPMailer.php") && function == "mail"
            }),
            "the oracle found no mail() call in WordPress's PHPMailer: {calls:?}"
        );
    }
}

#[test]
fn phpmailer() {
    let calls = check_corpus(PHPMAILER);
    if Path::new(PHPMAILER.0).is_dir() && php_present() {
        assert!(
            !calls.is_empty(),
            "the oracle found no call in {}",
            PHPMAILER.0
        );
    }
}

#[test]
fn roundcube() {
    check_corpus(ROUNDCUBE);
}

#[test]
fn phpmyadmin() {
    check_corpus(PHPMYADMIN);
}

/// A temporary directory under Cargo's target dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create dirs");
        std::fs::write(path, bytes).expect("write fixture");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Known calls, and look-alikes that are not calls, with the oracle's exact
/// expected answer.
const FIXTURE_CALLS: &str = r#"<?php
mail($a, $b, $c); MAIL('x'); @mail(1); \mail(2); \Mb_Send_Mail(3);
$o->mail(1); $o?->mail(2); Foo::mail(3); new mail(4); function mail_x() {}
$o->/* c */mail(1); $o ->
  mail(2); Foo :: mail(3); Foo\mail(4); const mail = 1; mailer(1); wp_mail(1);
// mail(1)
/* mail(2) */ "mail(3)"; 'mail(4)'; # mail(5)
$h = <<<EOT
mail(5) {$o->mail(6)} {${mail(7)}}
EOT;
$n = <<<'EOT'
mail(8)
EOT;
$f = mail(...); $g = mail( /* c */ ... ); mail /* c */ ( 8 ); mail
(9);
class A { public function mail($x) { return mail($x); } function &mb_send_mail() {} }
#[mail(1)] function f() {}
namespace\mail(10);
$é = 1; mail(12);
(mail)(13);
?>
<p>mail(14)</p>
<?= mb_send_mail(15) ?>
"#;

/// Namespaces: shadowing by a declared function or an import.
const FIXTURE_NAMESPACES: &str = r#"<?php
namespace Shop;
mail(1);
\mail(2);
namespace\mail(3);
use function Lib\mail;
mail(4);
mb_send_mail(5);

namespace Own;
function mb_send_mail() {}
mb_send_mail(6);
mail(7);
class K { function mail() {} }

namespace Imports;
use function Lib\{mb_send_mail, other};
use Lib\{Klass, function other2 as mail};
use function Lib\mail as sendit;
mail(8);
mb_send_mail(9);
sendit(10);

namespace Aliased;
use function mail as send;
use function mb_send_mail as mail;
send(11);
mail(12);
"#;

/// Braced namespaces: an import or declaration applies to its own block.
const FIXTURE_BRACED: &str = r#"<?php
namespace A {
    use function Lib\mail;
    mail(1);
}
namespace A {
    mail(2);
}
namespace B {
    mail(3);
}
namespace {
    mail(4);
    $f = function () use ($x) { mail(5); };
}
namespace b {
    function mail() {}
}
"#;

#[test]
fn oracle_script_finds_exactly_the_known_calls() {
    if !require(php_present(), "php", "php-cli") {
        return;
    }
    let tmp = TempDir::new("oracle-fixture");
    tmp.write("calls.php", FIXTURE_CALLS.as_bytes());
    tmp.write("ns.php", FIXTURE_NAMESPACES.as_bytes());
    tmp.write("braced.inc", FIXTURE_BRACED.as_bytes());
    // Latin-1 line: columns in bytes. UTF-8 line: in characters.
    tmp.write(
        "enc/latin1.PHP",
        b"<?php $abonn\xe9 = 1; mail(1);\n$s = '\xc3\xa9'; mail(2);\n",
    );
    // Walk: component-wise path order (`sub/` before `sub-b.php`), other
    // extensions, hidden entries, non-PHP files, symlinks.
    tmp.write("sub/a.php5", b"<?php mail(1);");
    tmp.write("sub-b.phtml", b"<?php mail(1);");
    tmp.write(".hidden.php", b"<?php mail(1);");
    tmp.write(".git/x.php", b"<?php mail(1);");
    tmp.write("notes.txt", b"<?php mail(1);");
    tmp.write("script.js", b"mail(1);");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.0.join("sub"), tmp.0.join("linked-dir"))
        .expect("create symlink");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.0.join("sub/a.php5"), tmp.0.join("linked.php"))
        .expect("create symlink");

    let got = oracle_calls(&[&tmp.0]);
    let root = tmp.0.display().to_string();
    let expected: Vec<Call> = [
        ("braced.inc", 7, 5, "mail"),
        ("braced.inc", 13, 5, "mail"),
        ("braced.inc", 14, 33, "mail"),
        ("calls.php", 2, 1, "mail"),
        ("calls.php", 2, 19, "mail"),
        ("calls.php", 2, 31, "mail"),
        ("calls.php", 2, 40, "mail"),
        ("calls.php", 2, 50, "mb_send_mail"),
        ("calls.php", 9, 26, "mail"),
        ("calls.php", 14, 43, "mail"),
        ("calls.php", 14, 63, "mail"),
        ("calls.php", 16, 45, "mail"),
        ("calls.php", 18, 1, "mail"),
        ("calls.php", 19, 9, "mail"),
        ("calls.php", 23, 5, "mb_send_mail"),
        ("enc/latin1.PHP", 1, 20, "mail"),
        ("enc/latin1.PHP", 2, 11, "mail"),
        ("ns.php", 3, 1, "mail"),
        ("ns.php", 4, 1, "mail"),
        ("ns.php", 8, 1, "mb_send_mail"),
        ("ns.php", 13, 1, "mail"),
        ("ns.php", 27, 1, "mail"),
        ("ns.php", 28, 1, "mb_send_mail"),
        ("sub/a.php5", 1, 7, "mail"),
        ("sub-b.phtml", 1, 7, "mail"),
    ]
    .into_iter()
    .map(|(rel, line, column, function)| {
        (format!("{root}/{rel}"), line, column, function.to_string())
    })
    .collect();
    if let Some(diff) = difference(&expected, &got) {
        panic!(
            "the oracle's output on the fixture is wrong (-: expected only, +: oracle only)\n{diff}"
        );
    }

    // Explicit file arguments are read whatever their extension, and the
    // path is printed as given.
    let notes = tmp.0.join("notes.txt");
    assert_eq!(
        oracle_calls(&[&notes]),
        vec![(notes.display().to_string(), 1, 7, "mail".to_string())]
    );
}

#[test]
fn difference_shows_missing_extra_and_misordered_calls() {
    let call = |path: &str, line| (path.to_string(), line, 1, "mail".to_string());
    let (a, b, c) = (call("a.php", 1), call("a.php", 2), call("b.php", 1));
    assert_eq!(
        difference(&[a.clone(), b.clone()], &[a.clone(), b.clone()]),
        None
    );
    let diff = difference(&[a.clone(), b.clone()], &[a.clone(), c.clone()]).unwrap();
    assert!(diff.contains("- a.php:2:1: mail()"), "{diff}");
    assert!(diff.contains("+ b.php:1:1: mail()"), "{diff}");
    let diff = difference(&[a.clone(), b.clone()], &[b, a]).unwrap();
    assert!(diff.contains("different order"), "{diff}");
}
