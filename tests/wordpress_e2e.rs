//! End to end with real WordPress: Debian's `wordpress` package, installed
//! by `wp_install()` into a throwaway MariaDB server that the test starts
//! (on a unix socket in a temporary folder) and stops. Each scenario sends
//! one mail with `wp_mail()` through `tests/e2e/sendmail-capture.sh`
//! (standing in for sendmail) and checks the envelope sender PHP hands to
//! sendmail, before and after `phpmailfix mu-plugin` installs its
//! must-use plugin:
//!
//! 1. no plugin: no `-f`;
//! 2. the plugin: `-f` + WordPress's own From, `wordpress@` + the site's host;
//! 3. the plugin and a contact form whose From is a visitor's gmail address:
//!    no `-f` at all, and never the visitor's address;
//! 4. the plugin made with `--from`, and that contact form: `-f` + the
//!    `--from` address;
//! 5. the plugin, and a `sendmail_path` that already has `-f`: that `-f`
//!    only, with and without `--from`.
//!
//! php (with mysqli), MariaDB's server and Debian's WordPress are required
//! under CI; elsewhere the test prints what is missing and passes.

mod fix_common;

use fix_common::{is_root, php, php_lint, repo_path};
use std::fs;
use std::io::ErrorKind;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `wordpress` package puts WordPress.
const DEBIAN_WORDPRESS: &str = "/usr/share/wordpress";
/// The site's host, fixed by `WP_HOME` and `WP_SITEURL`.
const SITE_HOST: &str = "blog.example.test";
/// WordPress's default From: `wordpress@` + the site's host.
const SITE_FROM: &str = "wordpress@blog.example.test";
/// The From the contact form sets.
const VISITOR: &str = "visitor@gmail.com";
/// The `--from` of scenario 4.
const BOUNCE: &str = "bounce@blog.example.test";
/// The `-f` a `sendmail_path` of scenario 5 already has.
const FORCED: &str = "-fforced@blog.example.test";
/// The file `phpmailfix mu-plugin` writes, under `wp-content/mu-plugins/`.
const PLUGIN: &str = "phpmailfix-envelope-sender.php";
/// How long MariaDB may take to accept connections.
const STARTUP: Duration = Duration::from_secs(30);
/// How long a clean shutdown may take before the server is killed.
const SHUTDOWN: Duration = Duration::from_secs(20);

/// The programs the test runs.
struct Tools {
    php: PathBuf,
    install_db: PathBuf,
    mariadbd: PathBuf,
    /// `mariadb-admin`, for a clean shutdown; without it the server is killed.
    admin: Option<PathBuf>,
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// `None` (with a notice) when something is missing, except under CI,
/// where the test must fail instead of passing silently.
fn missing(what: &str) -> Option<Tools> {
    if under_ci() {
        panic!("{what} and CI is set: scripts/test.sh installs it");
    }
    eprintln!("notice: {what}; skipping the WordPress end-to-end test");
    None
}

/// The first of `names` found in PATH or in the sbin folders (where Debian
/// puts `mariadbd`, often outside a user's PATH).
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.extend(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from));
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

fn tools() -> Option<Tools> {
    let php = php()?;
    let mysqli = Command::new(&php)
        .args(["-r", "exit(function_exists('mysqli_connect') ? 0 : 1);"])
        .status()
        .is_ok_and(|s| s.success());
    if !mysqli {
        return missing("php has no mysqli (Debian package php-mysql)");
    }
    if !Path::new(DEBIAN_WORDPRESS).join("wp-load.php").is_file() {
        return missing("Debian's WordPress is not installed (package wordpress)");
    }
    let (Some(install_db), Some(mariadbd)) = (
        find_program(&["mariadb-install-db", "mysql_install_db"]),
        find_program(&["mariadbd", "mysqld"]),
    ) else {
        return missing("MariaDB's server is not installed (package mariadb-server)");
    };
    Some(Tools {
        php,
        install_db,
        mariadbd,
        admin: find_program(&["mariadb-admin", "mysqladmin"]),
    })
}

/// Output as text, for failure messages.
fn shown(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `command` (`what`, in messages) with no input; panics with its
/// status and output unless it succeeds.
fn succeed(what: &str, command: &mut Command) -> Output {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what} does not run: {e}"));
    assert!(
        output.status.success(),
        "{what} ({}): {}",
        output.status,
        shown(&output)
    );
    output
}

/// A MariaDB server of our own: its data, socket and log in `dir`, no TCP
/// port, root without a password, one empty database `wp`. Dropping it
/// stops the server (cleanly, or by killing it) and removes `dir`, also
/// when an assertion failed.
struct Database {
    server: Child,
    socket: PathBuf,
    admin: Option<PathBuf>,
    // Dropped after `drop` has stopped the server.
    dir: tempfile::TempDir,
}

impl Database {
    fn start(tools: &Tools) -> Database {
        let mut dir = tempfile::Builder::new()
            .prefix("phpmailfix-wp-")
            .tempdir()
            .unwrap();
        // A unix socket's path holds at most 107 bytes.
        if dir.path().as_os_str().len() > 80 {
            dir = tempfile::Builder::new()
                .prefix("phpmailfix-wp-")
                .tempdir_in("/tmp")
                .unwrap();
        }
        let path = dir.path();
        let data = path.join("db");
        let socket = path.join("mysql.sock");
        let log = path.join("mariadbd.log");
        let create = path.join("create.sql");
        fs::write(&create, "CREATE DATABASE wp;\n").unwrap();
        // mariadbd refuses to run as root unless told to.
        let user = is_root().then_some("--user=root");
        // A 4 MB redo log instead of the default 96 MB: nothing to keep.
        let small = ["--innodb-log-file-size=4M", "--innodb-buffer-pool-size=32M"];

        succeed(
            "mariadb-install-db",
            Command::new(&tools.install_db)
                .arg("--no-defaults")
                .arg(format!("--datadir={}", data.display()))
                .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
                .arg(format!("--extra-file={}", create.display()))
                .args(user)
                .args(small),
        );

        let server = Command::new(&tools.mariadbd)
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg("--skip-networking")
            .arg(format!(
                "--pid-file={}",
                path.join("mariadbd.pid").display()
            ))
            .arg(format!("--log-error={}", log.display()))
            .args(user)
            .args(small)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        let mut db = Database {
            server,
            socket,
            admin: tools.admin.clone(),
            dir,
        };
        db.wait_until_ready(&log);
        db
    }

    /// Returns once the server accepts connections on its socket; panics
    /// with its log if it exits or takes longer than `STARTUP`.
    fn wait_until_ready(&mut self, log: &Path) {
        let started = Instant::now();
        loop {
            if UnixStream::connect(&self.socket).is_ok() {
                return;
            }
            let log = || fs::read_to_string(log).unwrap_or_default();
            if let Some(status) = self.server.try_wait().unwrap() {
                panic!("mariadbd exited ({status}):\n{}", log());
            }
            if started.elapsed() > STARTUP {
                panic!("mariadbd is not ready after {STARTUP:?}:\n{}", log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `DB_HOST` for WordPress: `localhost` and the socket.
    fn host(&self) -> String {
        format!("localhost:{}", self.socket.display())
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(admin) = &self.admin {
            let _ = Command::new(admin)
                .arg("--no-defaults")
                .arg(format!("--socket={}", self.socket.display()))
                .args(["--user=root", "shutdown"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let asked = Instant::now();
        while matches!(self.server.try_wait(), Ok(None)) && asked.elapsed() < SHUTDOWN {
            std::thread::sleep(Duration::from_millis(50));
        }
        if matches!(self.server.try_wait(), Ok(None)) {
            let _ = self.server.kill();
            let _ = self.server.wait();
        }
        // Then `dir` is removed, the data with it.
    }
}

/// An installed WordPress site, Debian's code with a standard
/// `wp-config.php` of our own instead of Debian's (which reads
/// `/etc/wordpress/config-HOST.php` and keeps content in `/var/lib`).
struct Site {
    php: PathBuf,
    root: PathBuf,
    /// Where each send's capture goes.
    mail: PathBuf,
    /// WordPress's debug log (`WP_DEBUG_LOG`), where PHP's messages go.
    log: PathBuf,
    /// Held, not read: dropping it stops the server and removes the
    /// folder. Last, so it goes after everything that uses it.
    _db: Database,
}

impl Site {
    fn install(tools: &Tools) -> Site {
        let db = Database::start(tools);
        let root = db.dir.path().join("wordpress");
        copy_wordpress(&root);
        let config = format!(
            "<?php\n\
             define('DB_NAME', 'wp');\n\
             define('DB_USER', 'root');\n\
             define('DB_PASSWORD', '');\n\
             define('DB_HOST', '{host}');\n\
             define('DB_CHARSET', 'utf8mb4');\n\
             define('DB_COLLATE', '');\n\
             define('WP_HOME', 'http://{SITE_HOST}');\n\
             define('WP_SITEURL', 'http://{SITE_HOST}');\n\
             define('WP_DEBUG', true);\n\
             define('WP_DEBUG_DISPLAY', false);\n\
             define('WP_DEBUG_LOG', '{log}');\n\
             define('DISABLE_WP_CRON', true);\n\
             define('WP_HTTP_BLOCK_EXTERNAL', true);\n\
             $table_prefix = 'wp_';\n\
             if (!defined('ABSPATH')) {{\n\
             \x20   define('ABSPATH', dirname(__FILE__) . '/');\n\
             }}\n\
             require_once ABSPATH . 'wp-settings.php';\n",
            host = db.host(),
            log = db.dir.path().join("debug.log").display(),
        );
        fs::write(root.join("wp-config.php"), config).unwrap();
        let site = Site {
            php: tools.php.clone(),
            mail: db.dir.path().join("mail"),
            log: db.dir.path().join("debug.log"),
            root,
            _db: db,
        };
        // wp_install() mails the admin: captured, not looked at.
        site.php_script("install.php", "install", &[]);
        site
    }

    /// Runs `tests/e2e/wordpress/SCRIPT` on the site with sendmail_path
    /// the capture script into `mail/CAPTURE`, then `extra` arguments.
    /// PHP must succeed, print nothing, and log no message but the
    /// deprecations WordPress 6.1's own code has on PHP 8.1+ (WP_DEBUG is
    /// on: a must-use plugin's notice fails the test).
    fn php_script(&self, script: &str, capture: &str, extra: &[&str]) -> PathBuf {
        match fs::remove_file(&self.log) {
            Err(e) if e.kind() != ErrorKind::NotFound => panic!("remove the debug log: {e}"),
            _ => {}
        }
        let capture = self.mail.join(capture);
        let mut sendmail = format!(
            "sh '{}' '{}'",
            repo_path("tests/e2e/sendmail-capture.sh").display(),
            capture.display()
        );
        for arg in extra {
            sendmail.push(' ');
            sendmail.push_str(arg);
        }
        let what = format!("php {script}");
        let output = succeed(
            &what,
            Command::new(&self.php)
                .args(["-d", &format!("sendmail_path={sendmail}")])
                .args(["-d", "mail.add_x_header=0"])
                .args(["-d", "display_errors=stderr", "-d", "error_reporting=-1"])
                .arg(repo_path("tests/e2e/wordpress").join(script))
                .arg(&self.root),
        );
        assert!(
            output.stdout.is_empty() && output.stderr.is_empty(),
            "{what} printed: {}",
            shown(&output)
        );
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        let core = [self.root.join("wp-includes/"), self.root.join("wp-admin/")]
            .map(|dir| format!(" in {}", dir.display()));
        let unexpected: Vec<&str> = log
            .lines()
            .filter(|line| {
                !(line.contains("PHP Deprecated:")
                    && core.iter().any(|c| line.contains(c.as_str())))
            })
            .collect();
        assert!(
            unexpected.is_empty(),
            "{what} logged:\n{}",
            unexpected.join("\n")
        );
        capture
    }

    /// Sends one mail with wp_mail(); what sendmail received.
    fn send(&self, capture: &str, extra: &[&str]) -> Sent {
        let dir = self.php_script("send.php", capture, extra);
        assert!(
            !dir.join("argv-2").exists(),
            "{capture}: wp_mail() sent one message"
        );
        let argv = fs::read_to_string(dir.join("argv-1"))
            .unwrap_or_else(|e| panic!("{capture}: sendmail was not run: {e}"));
        Sent {
            argv: argv.lines().map(str::to_string).collect(),
            message: fs::read_to_string(dir.join("message-1")).unwrap(),
        }
    }

    fn mu_plugins(&self) -> PathBuf {
        self.root.join("wp-content/mu-plugins")
    }

    /// Adds the contact form whose From is the visitor's address.
    fn add_contact_form(&self) {
        fs::create_dir_all(self.mu_plugins()).unwrap();
        fs::copy(
            repo_path("tests/e2e/wordpress/contact-form.php"),
            self.mu_plugins().join("contact-form.php"),
        )
        .unwrap();
    }
}

/// Copies Debian's WordPress to `root`, all but the translations (31 MB
/// an English site never reads). Symbolic links (to Debian's shared PHP
/// libraries) stay links.
fn copy_wordpress(root: &Path) {
    let source = Path::new(DEBIAN_WORDPRESS);
    let content = root.join("wp-content");
    fs::create_dir_all(&content).unwrap();
    let mut copies: Vec<(PathBuf, &Path)> = Vec::new();
    for entry in fs::read_dir(source).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "wp-content" {
            copies.push((entry.path(), root));
        }
    }
    for entry in fs::read_dir(source.join("wp-content")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "languages" {
            copies.push((entry.path(), &content));
        }
    }
    for (from, to) in copies {
        succeed(
            &format!("cp -a {}", from.display()),
            Command::new("cp").arg("-a").arg(&from).arg(to),
        );
    }
}

/// One message as sendmail received it.
struct Sent {
    /// The arguments PHP passed after the capture script's folder.
    argv: Vec<String>,
    message: String,
}

impl Sent {
    /// The `-f` arguments.
    fn envelope(&self) -> Vec<&str> {
        self.argv
            .iter()
            .map(String::as_str)
            .filter(|a| a.starts_with("-f"))
            .collect()
    }

    /// The address in the From header.
    fn header_from(&self) -> &str {
        let line = self
            .message
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with("from:"))
            .unwrap_or_else(|| panic!("a From header in:\n{}", self.message));
        let address = line.rsplit('<').next().unwrap();
        address.trim().trim_end_matches('>')
    }
}

/// Installs the must-use plugin the way a user does:
/// `phpmailfix mu-plugin ROOT --yes [--from ADDR]`. Returns its path.
fn install_plugin(root: &Path, from: Option<&str>) -> PathBuf {
    let mut command = Command::new(env!("CARGO_BIN_EXE_phpmailfix"));
    command.arg("mu-plugin").arg(root).arg("--yes");
    if let Some(from) = from {
        command.args(["--from", from]);
    }
    succeed("phpmailfix mu-plugin", command.env_remove("CLICOLOR_FORCE"));
    let plugin = root.join("wp-content/mu-plugins").join(PLUGIN);
    assert!(plugin.is_file(), "{} written", plugin.display());
    plugin
}

/// Removes the plugin, so that the next `install_plugin` writes a new one.
fn remove_plugin(site: &Site) {
    match fs::remove_file(site.mu_plugins().join(PLUGIN)) {
        Err(e) if e.kind() != ErrorKind::NotFound => panic!("remove the plugin: {e}"),
        _ => {}
    }
}

#[test]
fn wp_mail_gets_the_sites_envelope_sender_with_the_mu_plugin() {
    let Some(tools) = tools() else { return };
    let site = Site::install(&tools);

    // 1. WordPress as installed: PHPMailer passes no -f.
    let sent = site.send("1-no-plugin", &[]);
    assert_eq!(sent.header_from(), SITE_FROM);
    assert_eq!(sent.envelope(), Vec::<&str>::new(), "1: {:?}", sent.argv);

    // 2. The plugin: the envelope is WordPress's From, the site's address.
    let plugin = install_plugin(&site.root, None);
    php_lint(&tools.php, &plugin);
    let sent = site.send("2-plugin", &[]);
    assert_eq!(sent.header_from(), SITE_FROM);
    let flag = format!("-f{SITE_FROM}");
    assert_eq!(sent.argv, [flag.as_str()], "2: sendmail's arguments");

    // 5. A sendmail_path with its own -f: the plugin adds none.
    let sent = site.send("5-forced", &[FORCED]);
    assert_eq!(sent.envelope(), [FORCED], "5: {:?}", sent.argv);

    // 3. A contact form mails "from" its visitor: not the site's domain,
    // so no envelope sender; above all, never the visitor's address.
    site.add_contact_form();
    let sent = site.send("3-visitor", &[]);
    assert_eq!(sent.header_from(), VISITOR, "3: the contact form's From");
    assert_eq!(sent.envelope(), Vec::<&str>::new(), "3: {:?}", sent.argv);
    assert!(
        !sent.argv.iter().any(|a| a.contains(VISITOR)),
        "3: {:?}",
        sent.argv
    );

    // 4. The plugin made with --from: that address, whatever the From.
    remove_plugin(&site);
    let plugin = install_plugin(&site.root, Some(BOUNCE));
    php_lint(&tools.php, &plugin);
    let sent = site.send("4-from-visitor", &[]);
    assert_eq!(sent.header_from(), VISITOR, "4: the contact form's From");
    let flag = format!("-f{BOUNCE}");
    assert_eq!(sent.argv, [flag.as_str()], "4: sendmail's arguments");

    // 5, with --from: still only the sendmail_path's -f.
    let sent = site.send("5-forced-from", &[FORCED]);
    assert_eq!(sent.envelope(), [FORCED], "5: {:?}", sent.argv);
}
