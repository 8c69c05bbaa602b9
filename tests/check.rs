//! `phpmailfix check` and `phpmailfix calls` on the fixtures in
//! `testdata/check/`, through the real binary.
//!
//! Each fixture says what it expects: a line holding the start of a call's
//! name ends with `expect:` and the rule ids reported there, and every
//! other line must have no finding. `fixtures_report_what_they_expect`
//! checks that; the snapshots show the exact output a user sees.

mod common;

use common::{annotations, code, json, redact_time, reported, run, stdout};
use std::path::Path;

/// The byte-exact fixtures in `testdata/check/bad_input/`: files no editor
/// keeps as they are (ISO-8859-1, BOM, CRLF, NUL bytes). They are committed;
/// `bad_input_fixtures_are_byte_exact` checks the committed bytes, and
/// rewrites them when `PHPMAILFIX_WRITE_FIXTURES=1`.
fn bad_input_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let latin1 = b"<?php\n\
// Fichier enregistr\xe9 en ISO-8859-1 : chaque lettre accentu\xe9e est un octet (\xe9 = 0xE9).\n\
// Read as UTF-8, tree-sitter loses the call in bienvenue().\n\
function bienvenue($abonn\xe9) {\n\
    mail($abonn\xe9, 'Bienvenue', 'Merci !'); // expect: missing-envelope-sender missing-from-header\n\
}\n\
$abonn\xe9 = $_POST['email'];\n\
$abonn\xe9s = 2; mail($abonn\xe9, 'Bienvenue', $texte, \"From: Soci\xe9t\xe9 <contact@example.org>\", '-fcontact@example.org'); // expect:\n\
foreach ($abonn\xe9s as $abonn\xe9) { mail($abonn\xe9, 'Lettre', $texte, 'Reply-To: r\xe9ponse@example.org'); } // expect: missing-envelope-sender missing-from-header\n\
$caf\xe9 = \"caf\xe9\"; mail($abonn\xe9, $caf\xe9, $texte, 'From: a@example.org', '-f' . $abonn\xe9); // expect: dynamic-envelope-sender\n\
$abonn\xe9->mail($abonn\xe9);\n"
        .to_vec();

    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(
        b"<?php mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header\n\
// A UTF-8 byte order mark before the open tag; columns do not count it.\n\
mail($to, $subject, $body, 'From: a@example.org', '-fa@example.org'); // expect:\n\
mail($to, 'Caf\xc3\xa9', $body, 'From: Caf\xc3\xa9 <a@example.org>'); // expect: missing-envelope-sender\n",
    );

    let crlf = [
        "<?php",
        "// Saved on Windows: every line ends in CR LF.",
        "mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header",
        "mail( // expect: missing-from-header",
        "    $to,",
        "    $subject,",
        "    $body,",
        "    <<<HEADERS",
        "    Reply-To: a@example.org",
        "    X-Mailer: none",
        "    HEADERS,",
        "    '-fa@example.org'",
        ");",
        "mail( // expect:",
        "    $to, $subject, $body, <<<HEADERS",
        "    Reply-To: a@example.org",
        "    From: b@example.org",
        "    HEADERS, '-fb@example.org');",
        "mail # expect: missing-envelope-sender",
        "    ($to, $subject, $body, \"Reply-To: a@example.org\\r\\nFrom: b@example.org\\r\\n\");",
        "",
    ]
    .join("\r\n")
    .into_bytes();

    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    binary.extend_from_slice(b"mail($to, $subject, $body);\0\0\xff\xfe\xfd\0");
    binary.extend((0..=255u8).cycle().take(1024).filter(|&b| b != b'<'));
    binary.extend_from_slice(b"\0IEND\xaeB`\x82");

    let mut nul_bytes = b"\0\0\0\xff<?php\n".to_vec();
    nul_bytes.extend_from_slice(
        b"// NUL bytes around and inside the PHP code.\n\
$x = \"a\0b\"; mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header\n\
mail($to, $subject, $body, \"From: a@example.org\0\", '-fa@example.org'); // expect:\n\
?>\0\0\x01\x02\xff",
    );

    let syntax_errors = b"<?php
// A file with syntax errors: the calls in its intact parts are still found.
mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header

$broken = ;
mail($to, $subject, $body, 'From: a@example.org'); // expect: missing-envelope-sender

function unfinished($a {
    return 1;
}

mail($to, $subject, $body, 'Reply-To: a@example.org', '-fa@example.org'); // expect: missing-from-header

if ($x)) {
    echo 'x';
}

class Broken {
    public function send( {
    }
}

mb_send_mail($to, $subject, $body); // expect: missing-envelope-sender missing-from-header

$a = [1, 2
mail($to, $subject, $body, 'From: a@example.org', '-f' . $to); // expect: dynamic-envelope-sender
"
    .to_vec();

    vec![
        ("latin1.php", latin1),
        ("bom.php", bom),
        ("crlf.php", crlf),
        ("binary.php", binary),
        ("nul_bytes.php", nul_bytes),
        ("empty.php", Vec::new()),
        ("syntax_errors.php", syntax_errors),
    ]
}

#[test]
fn bad_input_fixtures_are_byte_exact() {
    let dir = Path::new(common::ROOT).join("testdata/check/bad_input");
    let write = std::env::var_os("PHPMAILFIX_WRITE_FIXTURES").is_some();
    for (name, bytes) in bad_input_fixtures() {
        let path = dir.join(name);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| {
            panic!("{name}: {e}; run with PHPMAILFIX_WRITE_FIXTURES=1 to create it")
        });
        assert!(committed == bytes, "{name} differs from its generator");
    }
    // What each file is for, so a well-meant re-encoding cannot go unseen.
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let latin1 = read("latin1.php");
    assert!(std::str::from_utf8(&latin1).is_err());
    assert!(latin1.windows(7).any(|w| w == b"$abonn\xe9"));
    assert!(read("bom.php").starts_with(b"\xef\xbb\xbf<?php"));
    let crlf = read("crlf.php");
    assert_eq!(
        crlf.windows(2).filter(|w| w == b"\r\n").count(),
        crlf.iter().filter(|&&b| b == b'\n').count()
    );
    assert!(read("binary.php").contains(&0));
    assert!(read("nul_bytes.php").contains(&0));
    assert!(read("empty.php").is_empty());
}

/// Every finding on every fixture is the one its line announces, and no
/// announced finding is missing.
#[test]
fn fixtures_report_what_they_expect() {
    let output = run(&[
        "check",
        "--output-format",
        "json",
        "--fail-on",
        "never",
        "testdata/check",
    ]);
    assert_eq!(code(&output), 0, "{}", common::stderr(&output));
    let document = json(&output);
    let expected = annotations("testdata/check");
    let found = reported(&document);
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| found.get(*k) != Some(v))
        .collect();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|(k, v)| expected.get(*k) != Some(v))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "expected but not reported: {missing:#?}\nreported but not expected: {unexpected:#?}"
    );
    // The annotations are not vacuous.
    assert!(
        expected.len() > 60,
        "only {} annotated lines",
        expected.len()
    );
}

/// `check --quiet` on one fixture: one line per finding.
fn quiet(path: &str) -> String {
    let output = run(&["check", "--quiet", "--fail-on", "never", path]);
    assert_eq!(code(&output), 0, "{}", common::stderr(&output));
    stdout(&output)
}

#[test]
fn snapshot_positives() {
    insta::assert_snapshot!("positives", quiet("testdata/check/positives.php"));
}

#[test]
fn snapshot_negatives() {
    insta::assert_snapshot!("negatives", quiet("testdata/check/negatives.php"));
}

#[test]
fn snapshot_namespaces() {
    insta::assert_snapshot!("namespaces", quiet("testdata/check/namespaces"));
}

#[test]
fn snapshot_unanalyzable() {
    insta::assert_snapshot!("unanalyzable", quiet("testdata/check/unanalyzable.php"));
}

#[test]
fn snapshot_templates() {
    insta::assert_snapshot!("templates", quiet("testdata/check/templates.phtml"));
}

#[test]
fn snapshot_bad_input() {
    insta::assert_snapshot!("bad_input", quiet("testdata/check/bad_input"));
}

/// The full text report: excerpt with carets, the parse-error note, the
/// summary (its time redacted).
#[test]
fn snapshot_full_text_report() {
    let output = run(&[
        "check",
        "--color",
        "never",
        "testdata/check/templates.phtml",
        "testdata/check/bad_input/latin1.php",
        "testdata/check/bad_input/crlf.php",
        "testdata/check/bad_input/syntax_errors.php",
    ]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("full_text_report", redact_time(&stdout(&output)));
}

#[test]
fn snapshot_json_report() {
    let output = run(&[
        "check",
        "--output-format",
        "json",
        "testdata/check/bad_input/bom.php",
        "testdata/check/bad_input/latin1.php",
        "testdata/check/bad_input/syntax_errors.php",
    ]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("json_report", stdout(&output));
}

#[test]
fn snapshot_calls_text() {
    let output = run(&["calls", "--quiet", "testdata/check"]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("calls_text", stdout(&output));
}

#[test]
fn snapshot_calls_json() {
    let output = run(&[
        "calls",
        "--output-format",
        "json",
        "testdata/check/calls.php",
        "testdata/check/unanalyzable.php",
    ]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("calls_json", stdout(&output));
}

/// A file of several MB, made at test time: every call is found, at the
/// right line, however far into the file it is.
#[test]
fn multi_megabyte_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = b"<?php\nmail($to, $subject, $body);\n".to_vec();
    let filler =
        b"function f_N($mail) { $mail->send(); return email($mail, \"mail(\"); } // mail\n";
    let mut line = 3;
    let mut middle = 0;
    while source.len() < 3 << 20 {
        source.extend_from_slice(filler);
        line += 1;
        if middle == 0 && source.len() > 3 << 19 {
            source.extend_from_slice(
                b"$abonn\xe9 = 1; mb_send_mail($to, $s, $b, 'From: a@example.org');\n",
            );
            middle = line;
            line += 1;
        }
    }
    source.extend_from_slice(b"mail($to, $subject, $body, 'From: a@example.org', '-f' . $to);\n");
    let last = line;
    std::fs::write(dir.path().join("big.php"), &source).unwrap();
    let output = common::run_in(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(code(&output), 1, "{}", common::stderr(&output));
    let document = json(&output);
    let found: Vec<(u64, &str)> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "missing-envelope-sender"),
            (2, "missing-from-header"),
            (middle as u64, "missing-envelope-sender"),
            (last as u64, "dynamic-envelope-sender"),
        ]
    );
    assert_eq!(document["files_with_parse_errors"], serde_json::json!([]));
}

/// Expressions nested thousands of levels deep (generated or hostile
/// code) must neither overflow the stack, which would abort the whole
/// run, nor lose the findings a long constant chain still allows.
#[test]
fn deeply_nested_expressions() {
    let dir = tempfile::tempdir().unwrap();
    let chain = |part: &str, n: usize| vec![part; n].join(" . ");
    let files = [
        // A 50 000-part constant concatenation without a From header, and a
        // dynamic 5th argument as long.
        (
            "chain.php",
            format!(
                "<?php\nmail($to, $s, $b, {}, {} . '-f' . $to);\n",
                chain("\"X-A: 1\\r\\n\"", 50_000),
                chain("$x", 50_000)
            ),
        ),
        // The same chain ending in a From header, and a constant -f.
        (
            "chain_from.php",
            format!(
                "<?php\nmail($to, $s, $b, {} . 'From: a@example.org', {} . '-fa@example.org');\n",
                chain("\"X-A: 1\\r\\n\"", 50_000),
                chain("''", 50_000)
            ),
        ),
        (
            "parens.php",
            format!(
                "<?php\nmail($to, $s, $b, {}'Reply-To: a'{}, '-fa@example.org');\n",
                "(".repeat(20_000),
                ")".repeat(20_000)
            ),
        ),
        (
            "arrays.php",
            format!(
                "<?php\nmail($to, $s, $b, {}'v'{}, '-fa@example.org');\n",
                "['X' => ".repeat(20_000),
                "]".repeat(20_000)
            ),
        ),
    ];
    for (name, source) in &files {
        std::fs::write(dir.path().join(name), source).unwrap();
    }
    let output = common::run_in(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(code(&output), 1, "{}", common::stderr(&output));
    let found: Vec<(String, String)> = json(&output)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Nested beyond reason, the headers count as not constant: no finding,
    // except that an array's own keys are still read (`'X'`, no From).
    assert_eq!(
        found,
        [
            ("arrays.php".into(), "missing-from-header".into()),
            ("chain.php".into(), "missing-from-header".into()),
            ("chain.php".into(), "dynamic-envelope-sender".into()),
        ]
    );
    let message = json(&output)["findings"][2]["message"].clone();
    assert!(message.as_str().unwrap().contains("recipient"), "{message}");
}
