//! `phpmailfix fix`, as a user runs it: the diff it prints for each fixture
//! in `testdata/fix/` (insta snapshots), then what it writes and refuses to
//! write. The interactive prompt and the write refusals are driven through
//! the library.

mod fix_common;

use fix_common::*;
use phpmailfix::fix::{Answer, ExecuteOptions, Mode, Outcome, Plan, Prompter, execute, plan};
use phpmailfix::rewrite::apply_edits;
use phpmailfix::sender::SenderResolver;
use std::collections::VecDeque;
use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

/// The text of a snapshot: the command, its exit code and both outputs.
fn transcript(command: &str, run: &Run) -> String {
    format!(
        "$ phpmailfix {command}\nexit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        run.code,
        visible(&run.stdout),
        run.stderr
    )
}

/// Applies `diff` to a copy of `original` (saved as `name`) with `tool`
/// and returns the result, or `None` when the tool is not installed
/// (outside CI).
fn apply_with(tool: &str, name: &str, original: &[u8], diff: &[u8]) -> Option<Vec<u8>> {
    let copy = folder(&[(name, original)]);
    let args: &[&str] = match tool {
        "git" => &["apply", "--whitespace=nowarn", "-"],
        "patch" => &["-p1", "--quiet", "--forward"],
        _ => unreachable!(),
    };
    let child = Command::new(tool)
        .args(args)
        .current_dir(copy.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            assert!(
                std::env::var_os("CI").is_none_or(|v| v.is_empty()),
                "{tool} is missing and CI is set (scripts/test.sh installs it)"
            );
            eprintln!(
                "notice: {tool} is not installed; not checking that the diff applies with it"
            );
            return None;
        }
        Err(err) => panic!("cannot run {tool}: {err}"),
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(diff).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{tool} rejects the diff of {name}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(fs::read(copy.path().join(name)).unwrap())
}

/// Everything one fixture must satisfy, from the dry run to the second
/// `--yes`.
fn check_fixture(stem: &str) {
    let file = format!("{stem}.php");
    let original = fixture(&file);
    let dir = folder(&[(&file, &original)]);
    let path = dir.path().join(&file);

    // The dry run: the snapshot, and nothing written.
    let dry = run(dir.path(), &["fix", "--from", ADDR, &file]);
    insta::assert_snapshot!(stem, transcript(&format!("fix --from {ADDR} {file}"), &dry));
    assert_eq!(
        snapshot_tree(dir.path()),
        vec![(path.clone(), original.clone())],
        "a dry run writes nothing"
    );
    assert!(!dry.stderr.contains("error"), "{}", dry.stderr);
    let unfixed = dry.stderr.contains("not fixed:");
    let proposes = !dry.stdout.is_empty();
    assert_eq!(dry.code, if proposes || unfixed { 1 } else { 0 });

    // The library's plan: every edit lies inside a mail call, and the file
    // is the original with exactly those edits.
    let (scan, plan) = plan_bytes(&path, &original, Some(ADDR));
    let expected = match plan.files.first() {
        None => original.clone(),
        Some(file_plan) => {
            assert!(file_plan.refused.is_none(), "{:?}", file_plan.refused);
            let calls = &scan.files[0].analysis.calls;
            let edits: Vec<_> = file_plan
                .changes
                .iter()
                .flat_map(|c| c.edits.clone())
                .collect();
            for edit in &edits {
                assert!(
                    calls
                        .iter()
                        .any(|c| c.arguments_range.start < edit.range.start
                            && edit.range.end < c.arguments_range.end),
                    "edit {edit:?} is outside every call's parentheses"
                );
            }
            apply_edits(&original, &edits)
        }
    };
    assert_eq!(proposes, expected != original);

    // The printed diff is a real patch.
    if proposes {
        for tool in ["git", "patch"] {
            if let Some(patched) = apply_with(tool, &file, &original, &dry.stdout) {
                assert!(
                    patched == expected,
                    "{tool} gives another file than the rewrite:\n{}",
                    visible(&patched)
                );
            }
        }
    }

    // --yes writes exactly that, prints the same diff, leaves no temp file.
    let yes = run(dir.path(), &["fix", "--yes", "--from", ADDR, &file]);
    assert_eq!(yes.code, if unfixed { 1 } else { 0 }, "{}", yes.stderr);
    assert_eq!(visible(&yes.stdout), visible(&dry.stdout));
    assert_eq!(visible(&fs::read(&path).unwrap()), visible(&expected));
    assert!(fs::read(&path).unwrap() == expected);
    assert_eq!(
        snapshot_tree(dir.path()).len(),
        1,
        "no temp or backup file left"
    );
    if let Some(php) = php() {
        php_lint(&php, &path);
    }

    // Idempotence: a second run finds nothing and writes nothing.
    let before = fs::metadata(&path).unwrap();
    let again = run(dir.path(), &["fix", "--yes", "--from", ADDR, &file]);
    assert_eq!(visible(&again.stdout), "", "second run: empty diff");
    assert_eq!(again.code, if unfixed { 1 } else { 0 });
    assert!(
        again.stderr.contains("0 changes written in 0 files"),
        "{}",
        again.stderr
    );
    let after = fs::metadata(&path).unwrap();
    assert_eq!(
        (before.ino(), before.mtime(), before.mtime_nsec()),
        (after.ino(), after.mtime(), after.mtime_nsec()),
        "the second run did not write the file"
    );
    assert!(fs::read(&path).unwrap() == expected);
    let dry_again = run(dir.path(), &["fix", "--from", ADDR, &file]);
    assert!(dry_again.stdout.is_empty());
    assert!(dry_again.stderr.contains("nothing to change"));
}

macro_rules! fixture_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
    };
}

fixture_tests! {
    three_arguments,
    headers_single_quoted,
    headers_double_quoted,
    headers_double_quoted_lf,
    headers_heredoc,
    headers_nowdoc,
    headers_concatenation,
    headers_empty_string,
    headers_null,
    headers_array_long,
    headers_array_short,
    headers_array_dynamic_values,
    headers_array_empty,
    headers_array_multiline,
    headers_dynamic,
    params_single_quoted,
    params_double_quoted,
    params_empty,
    params_concatenation,
    named_arguments,
    multiline_call,
    comments_between_arguments,
    trailing_comma,
    error_suppression,
    fully_qualified,
    mb_send_mail,
    template,
    own_from_header,
    heredoc_message,
    dynamic_envelope_sender,
    left_alone,
    nothing_to_change,
    crlf,
    latin1,
    bom,
    no_final_newline,
}

#[test]
fn every_fixture_has_a_test() {
    let mut missing = Vec::new();
    for entry in fs::read_dir(repo_path("testdata/fix")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".php").unwrap_or(&name).to_string();
        if !FIXTURES.contains(&stem.as_str()) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "fixtures without a test: {missing:?}");
}

// Byte-exact results for the files whose bytes are easiest to damage.

fn fixed_bytes(name: &str) -> Vec<u8> {
    let dir = folder(&[(name, &fixture(name))]);
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, name]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    fs::read(dir.path().join(name)).unwrap()
}

#[test]
fn crlf_files_keep_their_bytes_and_get_crlf_line_breaks() {
    let expected: &[u8] = b"<?php\r\n\
// A file with CRLF line breaks: inserted line breaks are CRLF too.\r\n\
mail($to, $subject, $text, 'From: contact@client.fr', '-fcontact@client.fr');\r\n\
mail(\r\n    $to,\r\n    $subject,\r\n    $text,\r\n    'From: contact@client.fr',\r\n    '-fcontact@client.fr'\r\n);\r\n\
mail($to, $subject, $text, [\r\n    'From' => 'contact@client.fr',\r\n    \"Reply-To\" => \"help@example.org\",\r\n], '-fcontact@client.fr');\r\n";
    let fixed = fixed_bytes("crlf.php");
    assert_eq!(visible(&fixed), visible(expected));
    assert_eq!(
        fixed.windows(2).filter(|w| w == b"\r\n").count(),
        memchr_count(&fixed, b'\n'),
        "every line break is CRLF"
    );
}

#[test]
fn in_mixed_files_inserted_line_breaks_match_their_neighbours() {
    let source: &[u8] =
        b"<?php\r\n// pasted from Windows\r\nmail(\r\n    $to,\r\n    $s,\r\n    $m\r\n);\nmail(\n    $to,\n    $s,\n    $m\n);\n";
    let dir = folder(&[("mixed.php", source)]);
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, "mixed.php"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    let expected: &[u8] = b"<?php\r\n// pasted from Windows\r\nmail(\r\n    $to,\r\n    $s,\r\n    $m,\r\n    'From: contact@client.fr',\r\n    '-fcontact@client.fr'\r\n);\nmail(\n    $to,\n    $s,\n    $m,\n    'From: contact@client.fr',\n    '-fcontact@client.fr'\n);\n";
    assert_eq!(
        visible(&fs::read(dir.path().join("mixed.php")).unwrap()),
        visible(expected)
    );
}

fn memchr_count(bytes: &[u8], byte: u8) -> usize {
    bytes.iter().filter(|&&b| b == byte).count()
}

#[test]
fn latin1_files_keep_their_bytes_and_the_own_from_address_is_read() {
    let expected: &[u8] = b"<?php\n\
// ISO-8859-1: bytes 0xE9 in an identifier and in strings stay as they are.\n\
$abonn\xe9 = $_POST['email'];\n\
$sujet = \"Votre r\xe9servation\";\n\
mail($abonn\xe9, $sujet, \"Merci, \xe0 bient\xf4t.\", 'From: contact@client.fr', '-fcontact@client.fr');\n\
mail($abonn\xe9, $sujet, $texte, \"From: Soci\xe9t\xe9 <reservation@hotel.example>\", '-freservation@hotel.example');\n";
    let fixed = fixed_bytes("latin1.php");
    assert_eq!(visible(&fixed), visible(expected));
    assert!(fixed == expected);
}

#[test]
fn the_byte_order_mark_is_kept() {
    let fixed = fixed_bytes("bom.php");
    let expected = [
        &b"\xef\xbb\xbf<?php\n// A UTF-8 file with a byte order mark.\n"[..],
        "mail($to, \"R\u{e9}servation confirm\u{e9}e\", $text, 'From: contact@client.fr', '-fcontact@client.fr');\n".as_bytes(),
    ]
    .concat();
    assert!(fixed == expected, "{}", visible(&fixed));
}

// Exit codes and options.

const THREE_ARGS: &[u8] = b"<?php\nmail($to, $subject, $text);\n";
const FIXED_THREE_ARGS: &[u8] =
    b"<?php\nmail($to, $subject, $text, 'From: contact@client.fr', '-fcontact@client.fr');\n";
const CLEAN: &[u8] =
    b"<?php\nmail($to, $subject, $text, 'From: contact@client.fr', '-fcontact@client.fr');\n";

#[test]
fn exit_codes_say_nothing_to_change_changes_or_errors() {
    let dir = folder(&[("clean.php", CLEAN), ("other.txt", b"mail($a, $b, $c)")]);
    let clean = run(dir.path(), &["fix", "--from", ADDR, "."]);
    assert_eq!((clean.code, clean.stdout.len()), (0, 0), "{}", clean.stderr);
    assert!(clean.stderr.contains("nothing to change"));

    let dir = folder(&[("a.php", THREE_ARGS)]);
    let proposed = run(dir.path(), &["fix", "--from", ADDR, "."]);
    assert_eq!(proposed.code, 1);
    assert!(
        proposed.stderr.contains("1 change proposed in 1 file"),
        "{}",
        proposed.stderr
    );
    let written = run(dir.path(), &["fix", "--yes", "--from", ADDR, "."]);
    assert_eq!(written.code, 0, "everything fixed: {}", written.stderr);
    assert!(written.stderr.contains("1 change written in 1 file"));

    let missing = run(dir.path(), &["fix", "--from", ADDR, "no-such-dir"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("no-such-dir"), "{}", missing.stderr);

    let unknown = run(dir.path(), &["fix", "--frm", ADDR]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn a_file_named_twice_is_fixed_once() {
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let dry = run(
        dir.path(),
        &["fix", "--from", ADDR, "a.php", "./a.php", "."],
    );
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    let diff = String::from_utf8(dry.stdout.clone()).unwrap();
    assert_eq!(diff.matches("+++ b/a.php\n").count(), 1, "{diff}");
    if let Some(patched) = apply_with("patch", "a.php", THREE_ARGS, &dry.stdout) {
        assert_eq!(patched, FIXED_THREE_ARGS);
    }
    let done = run(
        dir.path(),
        &["fix", "--yes", "--from", ADDR, "a.php", "./a.php", "."],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(
        fs::read(dir.path().join("a.php")).unwrap(),
        FIXED_THREE_ARGS
    );
}

#[test]
fn apply_without_a_terminal_is_a_usage_error_that_writes_nothing() {
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let before = snapshot_tree(dir.path());
    let apply = run(dir.path(), &["fix", "--apply", "--from", ADDR, "a.php"]);
    assert_eq!(apply.code, 2);
    assert!(apply.stdout.is_empty());
    assert!(
        apply.stderr.contains("--apply") && apply.stderr.contains("terminal"),
        "{}",
        apply.stderr
    );
    assert_eq!(snapshot_tree(dir.path()), before);
}

#[test]
fn an_invalid_from_stops_the_run_before_anything_is_written() {
    let dir = folder(&[("a.php", THREE_ARGS), ("b/c.php", THREE_ARGS)]);
    let before = snapshot_tree(dir.path());
    for bad in [
        "contact@client.fr\r\nBcc: victim@example.org",
        "contact@client.fr\n",
        "contact@cli\rent.fr",
        "'contact'@client.fr",
        "\"contact\"@client.fr",
        "contact@client.fr'",
        "con tact@client.fr",
        "contact@client.fr -X/tmp/log",
        "contact;reboot@client.fr",
        "contact@client.fr;id",
        "$(id)@client.fr",
        "contact@$(id).fr",
        "`id`@client.fr",
        "a|b@client.fr",
        "a\\b@client.fr",
        "contact",
        "",
    ] {
        for extra in [&["--yes"][..], &[]] {
            let mut args = vec!["fix", "--from", bad];
            args.extend_from_slice(extra);
            args.push(".");
            let refused = run(dir.path(), &args);
            assert_eq!(refused.code, 2, "{bad:?}: {}", refused.stderr);
            assert!(refused.stdout.is_empty(), "{bad:?}: no diff");
            assert!(
                refused.stderr.contains("--from") && refused.stderr.contains("invalid"),
                "{bad:?}: {}",
                refused.stderr
            );
            assert_eq!(snapshot_tree(dir.path()), before, "{bad:?}");
        }
    }
}

#[test]
fn backup_keeps_the_original_beside_the_file() {
    let dir = folder(&[("a.php", THREE_ARGS), ("b.php", THREE_ARGS)]);
    let done = run(
        dir.path(),
        &["fix", "--yes", "--backup", "--from", ADDR, "a.php"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(
        fs::read(dir.path().join("a.php")).unwrap(),
        FIXED_THREE_ARGS
    );
    assert_eq!(fs::read(dir.path().join("a.php.orig")).unwrap(), THREE_ARGS);

    let done = run(
        dir.path(),
        &["fix", "--yes", "--backup=.bak", "--from", ADDR, "b.php"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(
        fs::read(dir.path().join("b.php")).unwrap(),
        FIXED_THREE_ARGS
    );
    assert_eq!(fs::read(dir.path().join("b.php.bak")).unwrap(), THREE_ARGS);

    // Nothing to change: no new backup, the old one untouched.
    let again = run(
        dir.path(),
        &["fix", "--yes", "--backup", "--from", ADDR, "a.php"],
    );
    assert_eq!(again.code, 0);
    assert_eq!(fs::read(dir.path().join("a.php.orig")).unwrap(), THREE_ARGS);
    assert_eq!(snapshot_tree(dir.path()).len(), 4);
}

#[test]
fn an_existing_backup_is_never_overwritten() {
    let dir = folder(&[("a.php", THREE_ARGS), ("a.php.orig", b"precious")]);
    let refused = run(
        dir.path(),
        &["fix", "--yes", "--backup", "--from", ADDR, "a.php"],
    );
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("already exists"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read(dir.path().join("a.php")).unwrap(), THREE_ARGS);
    assert_eq!(
        fs::read(dir.path().join("a.php.orig")).unwrap(),
        b"precious"
    );
}

// Which address: the call's own From, then phpmailfix.toml, then --from.

const OWN_FROM: &[u8] = b"<?php\nmail($to, $subject, $text, 'From: Sales <sales@client1.fr>');\n";

fn sender_of(dir: &Path, file: &str) -> String {
    let text = String::from_utf8(fs::read(dir.join(file)).unwrap()).unwrap();
    let at = text
        .find("'-f")
        .unwrap_or_else(|| panic!("{file} has no -f: {text}"));
    text[at + 3..].split('\'').next().unwrap().to_string()
}

#[test]
fn the_most_specific_sender_entry_wins_and_the_call_own_from_comes_first() {
    let config = br#"
# Hosting server: one domain per client.
from = "webmaster@host.example"

[[sender]]
path = "client1/**"
from = "contact@client1.fr"

[[sender]]
path = "client1/shop/**"
from = "shop@client1.fr"
"#;
    let dir = folder(&[
        ("www/phpmailfix.toml", config),
        ("www/client1/index.php", THREE_ARGS),
        ("www/client1/shop/cart.php", THREE_ARGS),
        ("www/client1/quote.php", OWN_FROM),
        ("www/client2/index.php", THREE_ARGS),
    ]);
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, "www"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    let www = dir.path().join("www");
    assert_eq!(sender_of(&www, "client1/index.php"), "contact@client1.fr");
    assert_eq!(sender_of(&www, "client1/shop/cart.php"), "shop@client1.fr");
    assert_eq!(sender_of(&www, "client1/quote.php"), "sales@client1.fr");
    assert_eq!(
        sender_of(&www, "client2/index.php"),
        "webmaster@host.example"
    );
    let index = fs::read_to_string(www.join("client1/index.php")).unwrap();
    assert!(index.contains("'From: contact@client1.fr'"), "{index}");
}

#[test]
fn from_is_used_where_the_configuration_has_no_address() {
    let config = b"[[sender]]\npath = \"client1/**\"\nfrom = \"contact@client1.fr\"\n";
    let dir = folder(&[
        ("phpmailfix.toml", config),
        ("client1/a.php", THREE_ARGS),
        ("client2/a.php", THREE_ARGS),
        ("client3/phpmailfix.toml", b"from = \"info@client3.fr\"\n"),
        ("client3/a.php", THREE_ARGS),
    ]);
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, "."]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(sender_of(dir.path(), "client1/a.php"), "contact@client1.fr");
    assert_eq!(sender_of(dir.path(), "client2/a.php"), ADDR);
    assert_eq!(
        sender_of(dir.path(), "client3/a.php"),
        "info@client3.fr",
        "the nearest phpmailfix.toml applies"
    );
}

#[test]
fn an_explicit_config_applies_everywhere() {
    let dir = folder(&[
        ("conf/senders.toml", b"from = \"info@client.fr\"\n"),
        ("site/a.php", THREE_ARGS),
        ("site/phpmailfix.toml", b"from = \"ignored@client.fr\"\n"),
    ]);
    let done = run(
        dir.path(),
        &["fix", "--yes", "--config", "conf/senders.toml", "site"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(sender_of(dir.path(), "site/a.php"), "info@client.fr");
}

#[test]
fn an_invalid_configuration_names_its_file_and_nothing_is_written() {
    for bad in [
        &b"form = \"contact@client.fr\"\n"[..],
        b"from = \"contact @client.fr\"\n",
        b"[[sender]]\npath = \"x/**\"\nfrom = \"a@b.fr\r\nBcc: c@d.fr\"\n",
        b"[[sender]]\npath = \"x/**\"\n",
        b"[[sender]]\npath = \"x/[\"\nfrom = \"a@b.fr\"\n",
        b"from = ",
    ] {
        let dir = folder(&[
            ("fine/a.php", THREE_ARGS),
            ("broken/phpmailfix.toml", bad),
            ("broken/b.php", THREE_ARGS),
        ]);
        let before = snapshot_tree(dir.path());
        let refused = run(dir.path(), &["fix", "--yes", "--from", ADDR, "."]);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("broken/phpmailfix.toml"),
            "{}",
            refused.stderr
        );
        assert!(refused.stdout.is_empty());
        assert_eq!(snapshot_tree(dir.path()), before, "nothing written");

        let explicit = run(
            dir.path(),
            &["fix", "--yes", "--config", "broken/phpmailfix.toml", "fine"],
        );
        assert_eq!(explicit.code, 2);
        assert!(explicit.stderr.contains("broken/phpmailfix.toml"));
        assert_eq!(snapshot_tree(dir.path()), before, "nothing written");
    }
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let missing = run(dir.path(), &["fix", "--yes", "--config", "nope.toml", "."]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.toml"), "{}", missing.stderr);
    assert_eq!(fs::read(dir.path().join("a.php")).unwrap(), THREE_ARGS);
}

#[test]
fn a_call_with_no_known_address_is_listed_and_left_alone() {
    let source = [THREE_ARGS, &OWN_FROM[6..]].concat();
    let dir = folder(&[("a.php", &source)]);
    let dry = run(dir.path(), &["fix", "a.php"]);
    assert_eq!(dry.code, 1);
    assert!(
        dry.stderr
            .contains("not fixed: a.php:2: missing-envelope-sender: no sender address")
            && dry.stderr.contains("pass --from or add a [[sender]] entry"),
        "{}",
        dry.stderr
    );
    let done = run(dir.path(), &["fix", "--yes", "a.php"]);
    assert_eq!(done.code, 1, "a finding is left: {}", done.stderr);
    let text = fs::read_to_string(dir.path().join("a.php")).unwrap();
    assert_eq!(
        text,
        "<?php\nmail($to, $subject, $text);\nmail($to, $subject, $text, 'From: Sales <sales@client1.fr>', '-fsales@client1.fr');\n"
    );
}

// Refusals.

#[test]
fn symlinks_are_not_written_through() {
    let dir = folder(&[("target.php", THREE_ARGS)]);
    std::os::unix::fs::symlink("target.php", dir.path().join("link.php")).unwrap();

    // Named on the command line: refused, the target untouched.
    let refused = run(dir.path(), &["fix", "--yes", "--from", ADDR, "link.php"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("link.php") && refused.stderr.contains("symbolic link"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read(dir.path().join("target.php")).unwrap(), THREE_ARGS);

    // Followed with -L: the dry run's diff has the target only, so it
    // still applies with patch.
    let dry = run(dir.path(), &["fix", "-L", "--from", ADDR, "."]);
    assert_eq!(dry.code, 2, "the link is an error: {}", dry.stderr);
    let diff = String::from_utf8(dry.stdout.clone()).unwrap();
    assert!(
        diff.contains("+++ b/target.php") && !diff.contains("link.php"),
        "{diff}"
    );
    if let Some(patched) = apply_with("patch", "target.php", THREE_ARGS, &dry.stdout) {
        assert_eq!(patched, FIXED_THREE_ARGS);
    }
    let done = run(dir.path(), &["fix", "-L", "--yes", "--from", ADDR, "."]);
    assert_eq!(done.code, 2);
    assert_eq!(
        fs::read(dir.path().join("target.php")).unwrap(),
        FIXED_THREE_ARGS
    );
    let link = dir.path().join("link.php");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("target.php"));

    // Without -L a link inside a folder is not even read.
    let dir = folder(&[("target.php", THREE_ARGS)]);
    std::os::unix::fs::symlink("target.php", dir.path().join("link.php")).unwrap();
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, "."]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(done.stderr.contains("1 change written in 1 file"));
}

#[test]
fn read_only_files_keep_their_mode_or_are_refused() {
    let dir = folder(&[("a.php", THREE_ARGS), ("b.php", THREE_ARGS)]);
    let (a, b) = (dir.path().join("a.php"), dir.path().join("b.php"));
    fs::set_permissions(&a, fs::Permissions::from_mode(0o444)).unwrap();
    fs::set_permissions(&b, fs::Permissions::from_mode(0o751)).unwrap();
    let done = run(dir.path(), &["fix", "--yes", "--from", ADDR, "."]);
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode(&b), 0o751, "permission bits kept");
    assert_eq!(fs::read(&b).unwrap(), FIXED_THREE_ARGS);
    assert_eq!(mode(&a), 0o444, "still read-only");
    if is_root() {
        // root may write a read-only file, as `vi` would.
        assert_eq!(done.code, 0, "{}", done.stderr);
        assert_eq!(fs::read(&a).unwrap(), FIXED_THREE_ARGS);
    } else {
        assert_eq!(done.code, 2);
        assert!(done.stderr.contains("not writable"), "{}", done.stderr);
        assert_eq!(fs::read(&a).unwrap(), THREE_ARGS);
    }
}

#[test]
fn a_read_only_file_is_refused_for_a_user_who_may_not_write_it() {
    // As root, run the binary as `nobody` (the tests run as root in CI).
    let runuser = Path::new("/usr/sbin/runuser");
    if !is_root() || !runuser.exists() {
        eprintln!(
            "notice: needs root and runuser; read_only_files_keep_their_mode_or_are_refused covers this user"
        );
        return;
    }
    let as_nobody = |args: &[&str], dir: &Path| {
        Command::new(runuser)
            .args(["-u", "nobody", "--"])
            .arg(env!("CARGO_BIN_EXE_phpmailfix"))
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    if !as_nobody(&["--version"], Path::new("/")).status.success() {
        eprintln!("notice: nobody cannot run the binary from this folder; not checking");
        return;
    }
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let path = dir.path().join("a.php");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
    let output = as_nobody(
        &["fix", "--yes", "--no-lint", "--from", ADDR, "a.php"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not writable"), "{stderr}");
    assert_eq!(fs::read(&path).unwrap(), THREE_ARGS);
    assert_eq!(snapshot_tree(dir.path()).len(), 1, "no temp file left");
}

#[test]
fn the_owner_is_kept_when_run_as_root() {
    if !is_root() {
        eprintln!("notice: not root; the owner of a rewritten file cannot be kept");
        return;
    }
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let path = dir.path().join("a.php");
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    let done = run(
        dir.path(),
        &["fix", "--yes", "--backup", "--from", ADDR, "a.php"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(fs::read(&path).unwrap(), FIXED_THREE_ARGS);
    for file in ["a.php", "a.php.orig"] {
        let meta = fs::metadata(dir.path().join(file)).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "{file}");
    }
}

#[test]
fn a_rewrite_php_lint_rejects_is_refused_unless_no_lint() {
    // A stand-in php on PATH whose -l rejects every rewritten file.
    let bin = folder(&[(
        "php",
        b"#!/bin/sh\nfor f; do :; done\nif grep -q -- '-fcontact@client.fr' \"$f\"; then\n  echo \"PHP Parse error: rejected in $f\"; exit 255\nfi\necho \"No syntax errors detected in $f\"\n",
    )]);
    fs::set_permissions(bin.path().join("php"), fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let fix = |extra: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_phpmailfix"))
            .args(["fix", "--yes", "--from", ADDR])
            .args(extra)
            .arg("a.php")
            .current_dir(dir.path())
            .env("PATH", &path)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = fix(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("php -l rejects the rewrite") && stderr.contains("the rewritten file"),
        "{stderr}"
    );
    assert_eq!(fs::read(dir.path().join("a.php")).unwrap(), THREE_ARGS);
    let (code, stderr) = fix(&["--no-lint"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        fs::read(dir.path().join("a.php")).unwrap(),
        FIXED_THREE_ARGS
    );
}

#[test]
fn write_atomic_refuses_a_file_changed_since_it_was_read() {
    let dir = folder(&[("a.php", b"<?php mail($a, $b, $c);")]);
    let path = dir.path().join("a.php");
    fs::write(&path, b"<?php mail($a, $b, $c); // edited meanwhile").unwrap();
    let err = phpmailfix::apply::write_atomic(&path, b"<?php mail($a, $b, $c);", b"new", None)
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("changed since it was read"),
        "{err:#}"
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        b"<?php mail($a, $b, $c); // edited meanwhile"
    );
    assert_eq!(snapshot_tree(dir.path()).len(), 1, "no temp file left");
}

#[test]
fn write_atomic_keeps_a_read_only_mode() {
    let dir = folder(&[("a.php", b"old")]);
    let path = dir.path().join("a.php");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let result = phpmailfix::apply::write_atomic(&path, b"old", b"new", None);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
    if is_root() {
        result.unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
    } else {
        assert!(result.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }
}

// The plan/execute pipeline through the library.

fn plan_dir(dir: &Path) -> Plan {
    let options = phpmailfix::walk::WalkOptions {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    };
    let result = phpmailfix::scan::scan(&options).unwrap();
    let resolver = SenderResolver {
        configs: Default::default(),
        from: Some(phpmailfix::sender::Address::parse(ADDR).unwrap()),
    };
    plan(&result, &resolver, None).unwrap()
}

fn execute_with(plan: &Plan, mode: Mode) -> (Outcome, String) {
    let mut out = Vec::new();
    let options = ExecuteOptions {
        backup: None,
        lint: None,
        color: false,
    };
    let outcome = execute(plan, mode, &options, &mut out).unwrap();
    (outcome, String::from_utf8(out).unwrap())
}

#[test]
fn a_file_changed_after_planning_is_skipped() {
    let dir = folder(&[("a.php", THREE_ARGS), ("b.php", THREE_ARGS)]);
    let plan = plan_dir(dir.path());
    let edited = b"<?php\nmail($to, $subject, $text); // edited\n";
    fs::write(dir.path().join("a.php"), edited).unwrap();
    let (outcome, _) = execute_with(&plan, Mode::Yes);
    assert_eq!(outcome.written_files, 1);
    assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    assert!(outcome.errors[0].contains("changed since it was read"));
    assert_eq!(fs::read(dir.path().join("a.php")).unwrap(), edited);
    assert_eq!(
        fs::read(dir.path().join("b.php")).unwrap(),
        FIXED_THREE_ARGS
    );
}

/// Answers from a script, and counts the questions.
struct Scripted {
    answers: VecDeque<Answer>,
    asked: usize,
}

impl Prompter for Scripted {
    fn ask(&mut self, question: &str) -> io::Result<Answer> {
        assert!(question.contains("[y]es [n]o [a]ll [q]uit"), "{question}");
        self.asked += 1;
        Ok(self
            .answers
            .pop_front()
            .expect("asked more questions than scripted"))
    }
}

const A_PHP: &[u8] =
    b"<?php\nmail($to, 'one', $text);\nmail($to, 'two', $text);\nmail($to, 'three', $text);\n";
const B_PHP: &[u8] = b"<?php\nmail($to, 'four', $text);\nmail($to, 'five', $text);\n";

/// `source` with the calls numbered in `fixed` rewritten (1-based).
fn with_fixed(source: &[u8], fixed: &[usize]) -> Vec<u8> {
    let text = String::from_utf8(source.to_vec()).unwrap();
    let mut out = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i > 0 && fixed.contains(&i) {
            out.push_str(&line.replace(
                ", $text);",
                ", $text, 'From: contact@client.fr', '-fcontact@client.fr');",
            ));
        } else {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

/// Runs the prompt with `answers` over a.php (3 changes) then b.php (2).
fn prompt(answers: &[Answer]) -> (tempfile::TempDir, Outcome, String, usize) {
    let dir = folder(&[("a.php", A_PHP), ("b.php", B_PHP)]);
    let plan = plan_dir(dir.path());
    assert_eq!(plan.change_count(), 5);
    let mut script = Scripted {
        answers: answers.iter().copied().collect(),
        asked: 0,
    };
    let (outcome, out) = execute_with(&plan, Mode::Interactive(&mut script));
    assert!(script.answers.is_empty(), "unused answers");
    (dir, outcome, out, script.asked)
}

fn contents(dir: &Path, name: &str) -> String {
    String::from_utf8(fs::read(dir.join(name)).unwrap()).unwrap()
}

#[test]
fn the_prompt_writes_the_changes_answered_yes() {
    use Answer::*;
    let (dir, outcome, out, asked) = prompt(&[Yes, No, Yes, No, Yes]);
    assert_eq!(asked, 5);
    assert_eq!(
        contents(dir.path(), "a.php"),
        String::from_utf8(with_fixed(A_PHP, &[1, 3])).unwrap()
    );
    assert_eq!(
        contents(dir.path(), "b.php"),
        String::from_utf8(with_fixed(B_PHP, &[2])).unwrap()
    );
    assert_eq!(
        (
            outcome.written_files,
            outcome.written_changes,
            outcome.declined
        ),
        (2, 3, 2)
    );
    assert!(outcome.errors.is_empty());
    // Each question comes after its change: path, line, title and hunk.
    let a = dir.path().join("a.php").display().to_string();
    for line in 2..=4 {
        assert!(
            out.contains(&format!(
                "{a}:{line}: add From: contact@client.fr and -fcontact@client.fr\n"
            )),
            "{out}"
        );
    }
    assert_eq!(out.matches("\n@@ ").count(), 5, "{out}");
    assert_eq!(out.matches("\n+mail(").count(), 5);
}

#[test]
fn all_accepts_this_change_and_every_later_one() {
    use Answer::*;
    let (dir, outcome, _, asked) = prompt(&[No, All]);
    assert_eq!(asked, 2);
    assert_eq!(
        contents(dir.path(), "a.php"),
        String::from_utf8(with_fixed(A_PHP, &[2, 3])).unwrap()
    );
    assert_eq!(
        contents(dir.path(), "b.php"),
        String::from_utf8(with_fixed(B_PHP, &[1, 2])).unwrap()
    );
    assert_eq!((outcome.written_changes, outcome.declined), (4, 1));
}

#[test]
fn quit_writes_what_was_accepted_so_far_and_nothing_else() {
    use Answer::*;
    let (dir, outcome, _, asked) = prompt(&[Yes, Quit]);
    assert_eq!(asked, 2, "no question after q");
    assert_eq!(
        contents(dir.path(), "a.php"),
        String::from_utf8(with_fixed(A_PHP, &[1])).unwrap()
    );
    assert_eq!(contents(dir.path(), "b.php").as_bytes(), B_PHP);
    assert_eq!(
        (
            outcome.written_files,
            outcome.written_changes,
            outcome.declined
        ),
        (1, 1, 4)
    );

    // q in the second file keeps the first file's and its own yeses.
    let (dir, outcome, _, asked) = prompt(&[Yes, Yes, No, Yes, Quit]);
    assert_eq!(asked, 5);
    assert_eq!(
        contents(dir.path(), "a.php"),
        String::from_utf8(with_fixed(A_PHP, &[1, 2])).unwrap()
    );
    assert_eq!(
        contents(dir.path(), "b.php"),
        String::from_utf8(with_fixed(B_PHP, &[1])).unwrap()
    );
    assert_eq!((outcome.written_changes, outcome.declined), (3, 2));

    // q at once: nothing at all is written.
    let (dir, outcome, _, asked) = prompt(&[Quit]);
    assert_eq!(asked, 1);
    assert_eq!(contents(dir.path(), "a.php").as_bytes(), A_PHP);
    assert_eq!(contents(dir.path(), "b.php").as_bytes(), B_PHP);
    assert_eq!((outcome.written_files, outcome.declined), (0, 5));
    assert_eq!(snapshot_tree(dir.path()).len(), 2);
}

#[test]
fn no_to_everything_writes_nothing() {
    use Answer::*;
    let dir = folder(&[("a.php", A_PHP), ("b.php", B_PHP)]);
    let before: Vec<_> = ["a.php", "b.php"]
        .map(|f| fs::metadata(dir.path().join(f)).unwrap().ino())
        .into();
    let plan = plan_dir(dir.path());
    let mut script = Scripted {
        answers: [No; 5].into_iter().collect(),
        asked: 0,
    };
    let (outcome, _) = execute_with(&plan, Mode::Interactive(&mut script));
    assert_eq!((outcome.written_files, outcome.declined), (0, 5));
    let after: Vec<_> = ["a.php", "b.php"]
        .map(|f| fs::metadata(dir.path().join(f)).unwrap().ino())
        .into();
    assert_eq!(before, after, "no file replaced");
    assert_eq!(contents(dir.path(), "a.php").as_bytes(), A_PHP);
}

#[test]
fn the_dry_run_mode_writes_nothing_through_the_library_either() {
    let dir = folder(&[("a.php", A_PHP)]);
    let plan = plan_dir(dir.path());
    let (outcome, out) = execute_with(&plan, Mode::DryRun);
    assert_eq!((outcome.proposed, outcome.written_files), (3, 0));
    assert!(out.starts_with("--- a/"), "{out}");
    assert_eq!(contents(dir.path(), "a.php").as_bytes(), A_PHP);
}

#[test]
fn wordpress_core_and_phpmailer_are_never_rewritten() {
    let call: &[u8] = b"<?php\nmail($to, $subject, $body);\n";
    let dir = folder(&[
        ("site/wp-includes/class-wp-mailer.php", call),
        ("site/wp-admin/tools.php", call),
        ("app/vendor/phpmailer/phpmailer/src/PHPMailer.php", call),
        ("legacy/class.phpmailer.php", call),
        ("site/wp-content/plugins/contact/send.php", call),
    ]);
    let before = snapshot_tree(dir.path());
    let out = run(dir.path(), &["fix", "--from", ADDR, "--yes", "."]);
    assert_eq!(out.code, 1, "library findings stay unfixed: {}", out.stderr);
    let after = snapshot_tree(dir.path());
    let changed: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.strip_prefix(dir.path()).unwrap().to_path_buf())
        .collect();
    assert_eq!(
        changed,
        [std::path::PathBuf::from(
            "site/wp-content/plugins/contact/send.php"
        )]
    );
    // Two findings a file (no -f, no From), two files each.
    assert_eq!(
        out.stderr.matches("WordPress core").count(),
        4,
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("PHPMailer's own mail() calls").count(),
        4,
        "{}",
        out.stderr
    );
}

#[test]
fn a_bare_dash_f_is_replaced_not_extended() {
    let dir = folder(&[(
        "a.php",
        b"<?php\nmail($to, $s, $m, 'From: x@client.fr', '-f');\n",
    )]);
    let out = run(dir.path(), &["fix", "--yes", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("a.php")).unwrap(),
        b"<?php\nmail($to, $s, $m, 'From: x@client.fr', '-fx@client.fr');\n"
    );
}

#[test]
fn a_file_named_by_two_paths_is_fixed_once() {
    let dir = folder(&[("a.php", THREE_ARGS)]);
    let absolute = dir.path().join("a.php");
    let out = run(
        dir.path(),
        &["fix", "--from", ADDR, "a.php", absolute.to_str().unwrap()],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).matches("+++ ").count(),
        1
    );
}
