//! The command line, as clap definitions. Kept in the library so that
//! completions and the man page are generated from the same source.

use crate::finding::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "phpmailfix",
    version,
    about = "Find and fix PHP code whose mail leaves without an envelope sender",
    long_about = "Find and fix PHP code whose mail leaves without an envelope sender.\n\n\
        PHP's mail() hands messages to sendmail without an envelope sender unless it is given \
        '-fADDRESS', so the Return-Path becomes the system user (www-data@host) and large \
        receivers reject or defer the mail."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Report mail-sending calls whose mail will leave without an envelope
    /// sender or a From header.
    Check(CheckArgs),
    /// List every mail-sending call, clean ones too.
    Calls(CallsArgs),
    /// Rewrite mail() calls so that their mail has a From header and a -f
    /// envelope sender. Shows a unified diff and writes nothing unless
    /// --apply (asks change by change) or --yes is given.
    Fix(FixArgs),
    /// Show, and with --apply or --yes write, the WordPress must-use plugin
    /// that gives PHPMailer an envelope sender:
    /// wp-content/mu-plugins/phpmailfix-envelope-sender.php.
    MuPlugin(MuPluginArgs),
    /// Print the effective configuration for a path: which phpmailfix.toml
    /// applies and what it sets, with the defaults filled in.
    Config(ConfigArgs),
    /// Print a shell completion script: `phpmailfix completions bash >
    /// /etc/bash_completion.d/phpmailfix`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `phpmailfix man | man -l -`.
    Man,
    /// Explain a rule: what it detects, why it matters, an example, how to
    /// fix it, and whether `fix` does.
    Rule(RuleArgs),
    /// Trace failing mail (Postfix's log or queue) back to the PHP script
    /// that sent it and its mail() call without an envelope sender.
    Trace(TraceArgs),
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).multiple(true).args(["maillog", "queue"])))]
pub struct TraceArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Read this Postfix log (repeatable, oldest first; `-` is stdin).
    #[arg(long, value_name = "FILE")]
    pub maillog: Vec<PathBuf>,
    /// Read Postfix's queue (`postqueue -j`, and `postcat -hq ID` for each
    /// failing message's headers; as root).
    #[arg(long)]
    pub queue: bool,
    /// The Postfix instance's configuration folder, passed to postqueue and
    /// postcat as `-c DIR` (default: theirs, or `MAIL_CONFIG`).
    #[arg(long, value_name = "DIR")]
    pub postfix_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// When to use colours in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// The rule id, e.g. missing-envelope-sender.
    #[arg(required_unless_present = "all")]
    pub rule: Option<String>,
    /// Every rule.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,
    /// Print Markdown (as in the README's rules reference).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Args, Debug)]
pub struct MuPluginArgs {
    /// The WordPress root: the folder that holds wp-includes/ and
    /// wp-config.php [default: .]
    pub root: Option<PathBuf>,
    /// The envelope sender to bake into the plugin (it then also replaces
    /// WordPress's default wordpress@ From). Without it, the plugin uses
    /// From, and only when From belongs to the site's own domain.
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// The wp-content folder, when wp-config.php's WP_CONTENT_DIR is not a
    /// constant phpmailfix can read.
    #[arg(long, value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
    /// Ask before writing (needs a terminal).
    #[arg(long)]
    pub apply: bool,
    /// Write without asking (for scripts).
    #[arg(short, long)]
    pub yes: bool,
    /// Do not check the plugin with `php -l`.
    #[arg(long)]
    pub no_lint: bool,
    /// When to use colours in the diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// The file or folder whose configuration to show [default: .]
    pub path: Option<PathBuf>,
    /// Show this configuration file instead of the one found above PATH.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Sender address for calls with no From header of their own and no
    /// phpmailfix.toml entry.
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Ask change by change, [y]es [n]o [a]ll [q]uit, and write what was
    /// accepted (needs a terminal).
    #[arg(long)]
    pub apply: bool,
    /// Write every change without asking (for scripts).
    #[arg(short, long)]
    pub yes: bool,
    /// Keep each original beside it, as FILE.SUFFIX [default: .orig].
    #[arg(long, value_name = "SUFFIX", num_args = 0..=1, require_equals = true, default_missing_value = ".orig")]
    pub backup: Option<String>,
    /// Do not check rewritten files with `php -l`.
    #[arg(long)]
    pub no_lint: bool,
    /// When to use colours in the diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub output_format: CheckFormat,
    /// Exit with 1 when a finding of this severity or above is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// When to use colours in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the findings: no source excerpt, notes or summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the number of findings per rule.
    #[arg(long)]
    pub statistics: bool,
    /// List `phpmailfix-ignore` comments that silence nothing.
    #[arg(long)]
    pub show_unused_suppressions: bool,
}

#[derive(Args, Debug)]
pub struct CallsArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Print only the calls, no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct WalkArgs {
    /// Files or directories to scan [default: .]
    pub paths: Vec<PathBuf>,
    /// Scan hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,
    /// Do not honour .gitignore, .ignore and other ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (loops are reported, not fatal).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// Skip paths matching GLOB (repeatable). A glob with a `/` matches the
    /// path relative to the scanned argument, one without matches names.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// File extensions to scan, replacing the default list
    /// (php,php3,php4,php5,php6,php7,php8,phtml,inc).
    #[arg(long, value_name = "EXT", value_delimiter = ',')]
    pub ext: Vec<String>,
    /// Number of worker threads [default: one per core].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Use this configuration file instead of looking for phpmailfix.toml
    /// above each scanned file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

/// `check`'s formats: those of `calls`, and the ones CI systems read.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Human-readable: location, message, source excerpt, summary.
    Text,
    /// One JSON document (version 1).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the changed files.
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never exit with 1 because of findings.
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}
