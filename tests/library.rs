//! The PHPMailer and WordPress rules, `fix`'s PHPMailer patch and the
//! WordPress must-use plugin, on the fixtures of `testdata/library/` (one
//! per PHPMailer shape and WordPress form) and on Debian's real
//! `libphp-phpmailer` and `wordpress` packages.
//!
//! php and the Debian packages are required under CI; elsewhere the tests
//! that need them print a notice and pass.

mod common;
mod fix_common;

use common::{annotations, json, reported};
use fix_common::{php, php_lint, repo_path, run};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BOUNCE: &str = "bounce@example.org";
const SITE: &str = "site@example.org";

/// Copies `from` (a file or folder) into `to`, keeping symlinks as links.
fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp runs");
    assert!(
        status.success(),
        "cp -a {} {}",
        from.display(),
        to.display()
    );
}

/// A Debian package's folder, or `None` (with a notice) when the package
/// is missing; under CI a missing package fails the test.
fn debian(path: &str, package: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        "{} is missing and CI is set: install {package} (scripts/test.sh does)",
        path.display()
    );
    eprintln!("notice: {package} is not installed; skipping");
    None
}

#[test]
fn fixtures_report_what_they_expect() {
    let output = common::run(&[
        "check",
        "--output-format",
        "json",
        "--fail-on",
        "never",
        "testdata/library",
    ]);
    assert_eq!(common::code(&output), 0, "{}", common::stderr(&output));
    let expected = annotations("testdata/library");
    let found = reported(&json(&output));
    assert_eq!(found, expected);
    let rules: std::collections::BTreeSet<&str> =
        expected.values().flatten().map(String::as_str).collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        [
            "missing-envelope-sender",
            "phpmailer-empty-sender",
            "phpmailer-unsafe-patch",
            "wordpress-empty-sender"
        ]
    );
}

#[test]
fn snapshot_library_findings() {
    let output = common::run(&["check", "--quiet", "--fail-on", "never", "testdata/library"]);
    insta::assert_snapshot!("library_findings", common::stdout(&output));
}

/// One message's sendmail arguments, as the capture script kept them;
/// `sender` is a `Sender` the application sets itself.
fn sendmail_argv(
    php: &Path,
    class_file: &Path,
    from: &str,
    sender: Option<&str>,
    sendmail_extra: &str,
) -> Vec<String> {
    let capture = tempfile::tempdir().unwrap();
    let script = repo_path("tests/e2e/sendmail-capture.sh");
    let sendmail = format!(
        "sh '{}' '{}'{sendmail_extra}",
        script.display(),
        capture.path().display()
    );
    let output = Command::new(php)
        .args(["-d", &format!("sendmail_path={sendmail}")])
        .arg(repo_path("tests/e2e/phpmailer/send.php"))
        .arg(class_file)
        .arg(from)
        .args(sender)
        .output()
        .expect("php runs");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{}: {}{}",
        class_file.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let argv = fs::read_to_string(capture.path().join("argv-1")).expect("one message was sent");
    assert!(!capture.path().join("argv-2").exists(), "only one message");
    argv.lines().map(str::to_string).collect()
}

/// The envelope senders in sendmail's arguments, as `-fADDR` (PHPMailer
/// 2.x passes `-f ADDR`, two arguments).
fn envelope(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, arg) in argv.iter().enumerate() {
        match arg.as_str() {
            "-f" => out.push(format!("-f{}", argv.get(i + 1).map_or("", String::as_str))),
            a if a.starts_with("-f") => out.push(a.to_string()),
            _ => {}
        }
    }
    out
}

/// The PHPMailer shapes `fix` patches: the class file in `testdata/library`.
const SHAPES: &[&str] = &[
    "phpmailer/2.0/class.phpmailer.php",
    "phpmailer/5.2.0/class.phpmailer.php",
    "phpmailer/5.2.4/class.phpmailer.php",
    "phpmailer/5.2.14/class.phpmailer.php",
    "phpmailer/5.2.16/class.phpmailer.php",
    "phpmailer/5.2.28/class.phpmailer.php",
    "phpmailer/6.9/vendor/phpmailer/phpmailer/src/PHPMailer.php",
    "phpmailer/7.0/vendor/phpmailer/phpmailer/src/PHPMailer.php",
];

#[test]
fn every_supported_shape_is_patched_and_then_passes_an_envelope_sender() {
    let php = php();
    for shape in SHAPES {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("PHPMailer.php");
        fs::copy(repo_path("testdata/library").join(shape), &file).unwrap();
        if let Some(php) = &php {
            let before = sendmail_argv(php, &file, SITE, None, "");
            assert_eq!(
                envelope(&before),
                Vec::<String>::new(),
                "{shape}: no -f before"
            );
        }
        let out = run(
            dir.path(),
            &["fix", "--yes", "--from", BOUNCE, "PHPMailer.php"],
        );
        assert_eq!(out.code, 0, "{shape}: {}", out.stderr);
        let patched = fs::read_to_string(&file).unwrap();
        assert_eq!(
            patched.matches(phpmailfix::library::PATCH_MARKER).count(),
            1
        );
        let again = run(dir.path(), &["fix", "--from", BOUNCE, "PHPMailer.php"]);
        assert_eq!(
            again.code, 0,
            "{shape}: a second run changes nothing: {}",
            again.stderr
        );
        assert!(
            again.stderr.contains("nothing to change"),
            "{}",
            again.stderr
        );
        let check = run(dir.path(), &["check", "PHPMailer.php"]);
        assert_eq!(
            check.code, 0,
            "{shape}: patched, no finding: {}",
            check.stderr
        );
        if let Some(php) = &php {
            php_lint(php, &file);
            let after = sendmail_argv(php, &file, SITE, None, "");
            assert_eq!(envelope(&after), [format!("-f{BOUNCE}")], "{shape}");
            // A host whose sendmail_path forces -f keeps its own, once.
            let forced = sendmail_argv(php, &file, SITE, None, " -fforced@example.org");
            assert_eq!(envelope(&forced), ["-fforced@example.org"], "{shape}");
            // A Sender the application set wins over the patch.
            let own = sendmail_argv(php, &file, SITE, Some(SITE), "");
            assert_eq!(envelope(&own), [format!("-f{SITE}")], "{shape}");
        }
        // Another address later: the patch's literal is updated in place.
        let other = "other@example.org";
        let out = run(
            dir.path(),
            &["fix", "--yes", "--from", other, "PHPMailer.php"],
        );
        assert_eq!(out.code, 0, "{shape}: {}", out.stderr);
        let updated = fs::read_to_string(&file).unwrap();
        assert_eq!(
            updated.matches(phpmailfix::library::PATCH_MARKER).count(),
            1
        );
        assert!(
            updated.contains(other) && !updated.contains(BOUNCE),
            "{shape}"
        );
        if let Some(php) = &php {
            let after = sendmail_argv(php, &file, SITE, None, "");
            assert_eq!(envelope(&after), [format!("-f{other}")], "{shape}");
        }
        // Without an address nothing is patched: From may be a visitor's.
        fs::copy(repo_path("testdata/library").join(shape), &file).unwrap();
        let before = fs::read(&file).unwrap();
        let out = run(dir.path(), &["fix", "--yes", "PHPMailer.php"]);
        assert_eq!(out.code, 1, "{shape}: {}", out.stderr);
        assert!(
            out.stderr.contains("pass --from"),
            "{shape}: {}",
            out.stderr
        );
        assert_eq!(fs::read(&file).unwrap(), before, "{shape}");
    }
}

#[test]
fn unknown_shapes_and_hand_patches_are_listed_and_left_alone() {
    for (shape, rule) in [
        (
            "phpmailer/unknown-shape/lib/PHPMailer.php",
            "phpmailer-empty-sender",
        ),
        (
            "phpmailer/hand-patched/class.phpmailer.php",
            "phpmailer-unsafe-patch",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("class.phpmailer.php");
        fs::copy(repo_path("testdata/library").join(shape), &file).unwrap();
        let before = fs::read(&file).unwrap();
        let out = run(dir.path(), &["fix", "--yes", "--from", BOUNCE, "."]);
        assert_eq!(out.code, 1, "{shape}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(": {rule}: ")) && out.stderr.contains("not fixed"),
            "{shape}: {}",
            out.stderr
        );
        assert_eq!(fs::read(&file).unwrap(), before, "{shape}");
    }
}

#[test]
fn snapshot_phpmailer_patches() {
    let mut all = String::new();
    for shape in SHAPES {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(
            repo_path("testdata/library").join(shape),
            dir.path().join("PHPMailer.php"),
        )
        .unwrap();
        let out = run(
            dir.path(),
            &["fix", "--no-lint", "--from", BOUNCE, "PHPMailer.php"],
        );
        all.push_str(&format!(
            "### {shape}\n{}\n",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    insta::assert_snapshot!("phpmailer_patches", all);
}

#[test]
fn a_plus_address_is_refused_for_phpmailer() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo_path("testdata/library").join(SHAPES[6]),
        dir.path().join("PHPMailer.php"),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["fix", "--yes", "--from", "a+b@example.org", "."],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("isShellSafe"), "{}", out.stderr);
}

/// Debian's libphp-phpmailer, copied: no -f before the patch, -f after.
#[test]
fn real_phpmailer_from_debian_gets_an_envelope_sender() {
    let Some(library) = debian("/usr/share/php/libphp-phpmailer", "libphp-phpmailer") else {
        return;
    };
    let Some(php) = php() else { return };
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&library, &dir.path().join("libphp-phpmailer"));
    let file = dir.path().join("libphp-phpmailer/src/PHPMailer.php");
    let check = run(dir.path(), &["check", "--output-format", "json", "."]);
    let document: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["phpmailer-empty-sender"], "{}", check.stderr);
    let message = document["findings"][0]["message"].as_str().unwrap();
    let version = fs::read_to_string(&file).unwrap();
    let version = version
        .split("const VERSION = '")
        .nth(1)
        .and_then(|v| v.split('\'').next())
        .unwrap()
        .to_string();
    assert!(
        message.contains(&format!("PHPMailer {version} ")),
        "{message}"
    );
    eprintln!("libphp-phpmailer: PHPMailer {version}");
    let before = sendmail_argv(&php, &file, SITE, None, "");
    assert_eq!(envelope(&before), Vec::<String>::new());
    let out = run(dir.path(), &["fix", "--yes", "--from", BOUNCE, "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    php_lint(&php, &file);
    let after = sendmail_argv(&php, &file, SITE, None, "");
    assert_eq!(envelope(&after), [format!("-f{BOUNCE}")]);
    let again = run(dir.path(), &["check", "."]);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

/// Debian's WordPress, copied with its content folder, its wp-config.php
/// pointing WP_CONTENT_DIR at the copy: exactly one wordpress-empty-sender
/// before, none after `mu-plugin --yes`.
#[test]
fn debian_wordpress_has_one_finding_until_the_plugin_is_there() {
    let Some(wordpress) = debian("/usr/share/wordpress", "wordpress") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&wordpress, &dir.path().join("wordpress"));
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("plugins")).unwrap();
    let config = dir.path().join("wordpress/wp-config.php");
    let text = fs::read_to_string(&config).unwrap();
    let debian_define = "define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');";
    assert!(
        text.contains(debian_define),
        "Debian's loader defines WP_CONTENT_DIR"
    );
    fs::write(
        &config,
        text.replace(
            debian_define,
            &format!("define('WP_CONTENT_DIR', '{}');", content.display()),
        ),
    )
    .unwrap();
    let check = |expected: usize| {
        let out = run(
            dir.path(),
            &["check", "--output-format", "json", "wordpress"],
        );
        let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings = document["findings"].as_array().unwrap().clone();
        assert_eq!(findings.len(), expected, "{findings:#?}\n{}", out.stderr);
        (findings, out.stderr)
    };
    let (findings, notes) = check(1);
    assert_eq!(findings[0]["rule"], "wordpress-empty-sender");
    assert_eq!(findings[0]["path"], "wordpress/wp-includes/pluggable.php");
    let version = fs::read_to_string(dir.path().join("wordpress/wp-includes/version.php")).unwrap();
    let version = version
        .split("$wp_version = '")
        .nth(1)
        .and_then(|v| v.split('\'').next())
        .unwrap()
        .to_string();
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("WordPress {version}:")),
        "{}",
        findings[0]["message"]
    );
    eprintln!("Debian wordpress: WordPress {version}");
    assert!(notes.contains("keeps its content in"), "{notes}");

    let dry = run(dir.path(), &["mu-plugin", "wordpress"]);
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    let plugin = content.join("mu-plugins/phpmailfix-envelope-sender.php");
    assert!(!plugin.exists(), "a dry run writes nothing");
    let shown = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(shown.starts_with("--- /dev/null\n+++ b/"), "{shown}");
    assert!(
        shown.contains("mu-plugins/phpmailfix-envelope-sender.php"),
        "{shown}"
    );

    let yes = run(dir.path(), &["mu-plugin", "wordpress", "--yes"]);
    assert_eq!(yes.code, 0, "{}", yes.stderr);
    assert!(plugin.is_file());
    check(0);
    if let Some(php) = php() {
        php_lint(&php, &plugin);
    }

    // Idempotent: nothing to do; then --from regenerates it in place.
    let same = run(dir.path(), &["mu-plugin", "wordpress", "--yes"]);
    assert_eq!(same.code, 0);
    assert!(same.stderr.contains("is up to date"), "{}", same.stderr);
    assert!(same.stdout.is_empty());
    let from = run(dir.path(), &["mu-plugin", "wordpress", "--from", BOUNCE]);
    assert_eq!(from.code, 1);
    let diff = String::from_utf8_lossy(&from.stdout).into_owned();
    assert!(
        diff.starts_with("--- a/"),
        "an update, not a new file: {diff}"
    );
    assert!(
        diff.contains(&format!("+        return '{BOUNCE}';")),
        "{diff}"
    );
    assert!(
        diff.lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count()
            < 10,
        "{diff}"
    );
    let written = run(
        dir.path(),
        &["mu-plugin", "wordpress", "--from", BOUNCE, "--yes"],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(fs::read_to_string(&plugin).unwrap().contains(BOUNCE));

    // A file of that name that is not ours is never touched.
    fs::write(&plugin, "<?php\n// someone else's\n").unwrap();
    let refused = run(dir.path(), &["mu-plugin", "wordpress", "--yes"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("was not generated by phpmailfix"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        fs::read_to_string(&plugin).unwrap(),
        "<?php\n// someone else's\n"
    );
}

#[test]
fn a_folder_that_is_not_wordpress_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["mu-plugin"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a WordPress root")
            && out.stderr.contains("wp-includes/version.php"),
        "{}",
        out.stderr
    );
}

/// `fix` on a tree holding a WordPress install proposes the plugin as a
/// new file, rewrites plugins' own mail() calls, never core.
#[test]
fn fix_proposes_the_plugin_and_rewrites_only_plugin_code() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_path("testdata/library/wordpress/6.1"),
        &dir.path().join("site"),
    );
    let plugin_dir = dir.path().join("site/wp-content/plugins/contact");
    fs::create_dir_all(&plugin_dir).unwrap();
    fs::write(
        plugin_dir.join("send.php"),
        "<?php\nmail($to, $subject, $body);\n",
    )
    .unwrap();
    let core = dir.path().join("site/wp-includes/PHPMailer/PHPMailer.php");
    let core_before = fs::read(&core).unwrap();
    let dry = run(dir.path(), &["fix", "--no-lint", "--from", BOUNCE, "site"]);
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    let diff = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(
        diff.contains(
            "--- /dev/null\n+++ b/site/wp-content/mu-plugins/phpmailfix-envelope-sender.php"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("+++ b/site/wp-content/plugins/contact/send.php"),
        "{diff}"
    );
    assert!(!diff.contains("wp-includes"), "{diff}");
    let yes = run(dir.path(), &["fix", "--yes", "--from", BOUNCE, "site"]);
    assert_eq!(yes.code, 0, "{}", yes.stderr);
    assert_eq!(fs::read(&core).unwrap(), core_before);
    let check = run(dir.path(), &["check", "site"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let again = run(dir.path(), &["fix", "--from", BOUNCE, "site"]);
    assert!(
        again.stderr.contains("nothing to change"),
        "{}",
        again.stderr
    );
}

/// `mu-plugin --apply` asks on a terminal (a pseudo-terminal from
/// util-linux's `script`, which Debian always has): `n` writes nothing,
/// `y` writes the plugin.
#[test]
fn mu_plugin_apply_asks_before_writing() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "script (util-linux) is missing and CI is set"
        );
        eprintln!("notice: script is missing; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_path("testdata/library/wordpress/6.1"),
        &dir.path().join("site"),
    );
    let plugin = dir
        .path()
        .join("site/wp-content/mu-plugins/phpmailfix-envelope-sender.php");
    let answer = |key: &str| {
        let command = format!(
            "'{}' mu-plugin site --apply --color never",
            env!("CARGO_BIN_EXE_phpmailfix")
        );
        let mut child = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("script runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(key.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let declined = answer("n");
    assert!(
        declined.contains("Write this file? [y]es [n]o"),
        "{declined}"
    );
    assert!(declined.contains("nothing written"), "{declined}");
    assert!(!plugin.exists());
    let accepted = answer("y");
    assert!(accepted.contains("created "), "{accepted}");
    assert!(plugin.is_file());
}

/// The generated plugin's own logic, with stand-ins for WordPress
/// (`tests/e2e/wordpress/plugin-harness.php`): (From, Sender) for each
/// message sent in turn through one mailer, as WordPress reuses its own.
fn plugin_run(
    php: &Path,
    from_option: Option<&str>,
    home: &str,
    network: &str,
    sendmail: &str,
    froms: &[&str],
) -> Vec<(String, String)> {
    let address = from_option.map(|a| phpmailfix::sender::Address::parse(a).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("plugin.php");
    fs::write(
        &plugin,
        phpmailfix::wordpress::plugin_source(address.as_ref()),
    )
    .unwrap();
    let output = Command::new(php)
        .args([
            "-d",
            "error_reporting=-1",
            "-d",
            "display_errors=stderr",
            "-d",
        ])
        .arg(format!("sendmail_path={sendmail}"))
        .arg(repo_path("tests/e2e/wordpress/plugin-harness.php"))
        .arg(&plugin)
        .args([home, network])
        .args(froms)
        .output()
        .expect("php runs");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                v["from"].as_str().unwrap().to_string(),
                v["sender"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_plugin_sets_only_the_sites_own_address() {
    let Some(php) = php() else { return };
    let pair = |f: &str, s: &str| (f.to_string(), s.to_string());
    let sendmail = "/usr/sbin/sendmail -t -i";
    // The site's own From, a visitor's, then the site's again: the Sender
    // set for the first message is not kept for the visitor's.
    assert_eq!(
        plugin_run(
            &php,
            None,
            "https://www.blog.example",
            "https://www.blog.example",
            sendmail,
            &[
                "wordpress@blog.example",
                "visitor@gmail.com",
                "News@Blog.Example"
            ],
        ),
        [
            pair("wordpress@blog.example", "wordpress@blog.example"),
            pair("visitor@gmail.com", ""),
            pair("News@Blog.Example", "News@Blog.Example"),
        ]
    );
    // A multisite subsite: WordPress's default From has the network's domain.
    assert_eq!(
        plugin_run(
            &php,
            None,
            "https://sub.network.example",
            "https://network.example",
            sendmail,
            &[
                "wordpress@network.example",
                "o'neil@network.example",
                "nobody"
            ],
        ),
        [
            pair("wordpress@network.example", "wordpress@network.example"),
            pair("o'neil@network.example", ""),
            pair("nobody", ""),
        ]
    );
    // With --from: WordPress's default From is replaced, others are kept,
    // and the envelope is always the configured address.
    assert_eq!(
        plugin_run(
            &php,
            Some(BOUNCE),
            "https://blog.example",
            "https://blog.example",
            sendmail,
            &["wordpress@blog.example", "visitor@gmail.com"],
        ),
        [pair(BOUNCE, BOUNCE), pair("visitor@gmail.com", BOUNCE)]
    );
    // A sendmail_path that sets the envelope sender itself: left alone.
    for forced in [
        "/usr/sbin/sendmail -t -i -f bounce@x.example",
        "/usr/bin/msmtp -t --from=a@x.example",
        "/usr/sbin/sendmail -r a@x.example",
    ] {
        assert_eq!(
            plugin_run(
                &php,
                Some(BOUNCE),
                "https://blog.example",
                "https://blog.example",
                forced,
                &["visitor@gmail.com"]
            ),
            [pair("visitor@gmail.com", "")],
            "{forced}"
        );
    }
}

/// Runs `check --output-format json` in `dir` and returns (path, rule).
fn findings_in(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--output-format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn installs_are_found_from_their_own_root_and_nested_ones_apart() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path().join("site");
    copy_tree(&repo_path("testdata/library/wordpress/6.1"), &outer);
    // Inside the root, with no path: the install is `.`.
    let wp = "wp-includes/pluggable.php".to_string();
    assert_eq!(
        findings_in(&outer, &[]),
        [(wp.clone(), "wordpress-empty-sender".into())]
    );
    // A second install inside it, with its own plugin: its callback does
    // not count for the outer one.
    copy_tree(
        &repo_path("testdata/library/wordpress/closure"),
        &outer.join("blog"),
    );
    assert_eq!(
        findings_in(&outer, &["."]),
        [(wp, "wordpress-empty-sender".into())]
    );
}

#[test]
fn relative_roots_and_dir_constants_put_the_plugin_where_wordpress_loads_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("srv/wp");
    fs::create_dir_all(dir.path().join("srv")).unwrap();
    copy_tree(&repo_path("testdata/library/wordpress/6.1"), &root);
    fs::create_dir_all(dir.path().join("srv/content")).unwrap();
    fs::write(
        root.join("wp-config.php"),
        "<?php\ndefine('WP_CONTENT_DIR', dirname(__DIR__) . '/content');\n",
    )
    .unwrap();
    let out = run(dir.path(), &["mu-plugin", "srv/wp", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        dir.path()
            .join("srv/content/mu-plugins/phpmailfix-envelope-sender.php")
            .is_file()
    );
    // check from the same place sees it, inside or outside the scan.
    assert_eq!(findings_in(dir.path(), &["srv/wp"]), []);
    assert_eq!(findings_in(dir.path(), &["srv"]), []);
    // An unreadable WP_CONTENT_DIR is an error, and nothing is created.
    fs::write(
        root.join("wp-config.php"),
        "<?php\ndefine('WP_CONTENT_DIR', $_SERVER['DOCUMENT_ROOT'] . '/app');\n",
    )
    .unwrap();
    let out = run(dir.path(), &["mu-plugin", "srv/wp", "--yes"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--content-dir"), "{}", out.stderr);
    let out = run(
        dir.path(),
        &[
            "mu-plugin",
            "srv/wp",
            "--content-dir",
            "srv/content",
            "--yes",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("is up to date"), "{}", out.stderr);
}

#[test]
fn set_from_false_is_read_where_phpmailer_is_never_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("send.php"),
        "<?php\nfunction notify($mail) {\n    $mail->setFrom('a@example.org', 'A', false);\n    return $mail->send();\n}\n",
    )
    .unwrap();
    assert_eq!(
        findings_in(dir.path(), &["."]),
        [(
            "send.php".to_string(),
            "missing-envelope-sender".to_string()
        )]
    );
}

/// An address phpmailfix.toml gives that PHPMailer would refuse: the error
/// names the file, not an option the user never gave.
#[test]
fn mu_plugin_names_where_a_refused_address_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&repo_path("testdata/library/wordpress/6.1"), &site);
    fs::write(site.join("phpmailfix.toml"), "from = \"a+b@example.org\"\n").unwrap();
    let out = run(&site, &["mu-plugin"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: the address of phpmailfix.toml: a+b@example.org holds characters"),
        "{}",
        out.stderr
    );
    let out = run(&site, &["mu-plugin", "--from", "c+d@example.org"]);
    assert!(
        out.stderr.starts_with("error: --from: c+d@example.org"),
        "{}",
        out.stderr
    );
}

/// When wp-config.php sets the content folder to a value phpmailfix cannot
/// read, check still reports the install and says what it did not read.
#[test]
fn check_says_when_the_content_folder_was_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&repo_path("testdata/library/wordpress/6.1"), &site);
    fs::write(
        site.join("wp-config.php"),
        "<?php\ndefine('WP_CONTENT_DIR', $_SERVER['DOCUMENT_ROOT'] . '/wp-content');\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "site"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "note: WordPress at site: its content folder was not read for phpmailer_init callbacks: "
        ) && out.stderr.contains("site/wp-config.php:2 defines WP_CONTENT_DIR"),
        "{}",
        out.stderr
    );
}

/// A content folder outside the scanned root: fix's one diff names every
/// file by its absolute path, so that one `patch -p1` from `/` applies it.
#[test]
fn a_diff_with_a_file_outside_the_folder_names_every_file_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let dir = fs::canonicalize(dir.path()).unwrap();
    let site = dir.join("wp");
    copy_tree(&repo_path("testdata/library/wordpress/6.1"), &site);
    fs::create_dir_all(dir.join("content/mu-plugins")).unwrap();
    fs::write(
        site.join("wp-config.php"),
        "<?php\ndefine('WP_CONTENT_DIR', dirname(__DIR__) . '/content');\n",
    )
    .unwrap();
    fs::write(
        site.join("contact.php"),
        "<?php\nmail('a@example.org', 's', 'b');\n",
    )
    .unwrap();
    let out = run(&site, &["fix", "--from", "bounce@example.org", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let diff = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = diff
        .lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .collect();
    let absolute = dir.to_string_lossy().trim_start_matches('/').to_string();
    assert_eq!(
        names,
        [
            format!("{absolute}/wp/contact.php"),
            format!("{absolute}/content/mu-plugins/phpmailfix-envelope-sender.php")
        ],
        "{diff}"
    );
    let patch = std::process::Command::new("patch")
        .args(["-p1", "--dry-run", "-d", "/", "-i"])
        .arg(&{
            let file = dir.join("fix.diff");
            fs::write(&file, &diff).unwrap();
            file
        })
        .output()
        .expect("patch runs (scripts/test.sh installs it)");
    assert!(
        patch.status.success(),
        "{}",
        String::from_utf8_lossy(&patch.stdout)
    );
}
