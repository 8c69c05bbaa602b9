//! What each subcommand does, from parsed arguments to an exit code.

use crate::cli::{CallsArgs, CheckArgs, CheckFormat, ColorChoice, FixArgs, OutputFormat, WalkArgs};
use crate::config::ConfigFinder;
use crate::fix::{Answer, ExecuteOptions, Mode, Prompter};
use crate::report::{self, path_string};
use crate::scan::ScanResult;
use crate::sender::{Address, SenderResolver};
use crate::walk::{DEFAULT_EXTENSIONS, WalkOptions};
use std::io::IsTerminal;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes: 0 clean, 1 findings (or changes), 2 usage or I/O error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

impl WalkArgs {
    pub fn options(&self) -> WalkOptions {
        let extensions = if self.ext.is_empty() {
            DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect()
        } else {
            self.ext
                .iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect()
        };
        WalkOptions {
            paths: if self.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                self.paths.clone()
            },
            hidden: self.hidden,
            no_ignore: self.no_ignore,
            follow: self.follow,
            exclude: self.exclude.clone(),
            extensions,
            threads: self.threads.unwrap_or(0),
        }
    }
}

/// Whether to colour stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && console::Term::stdout().features().colors_supported()
        }
    }
}

/// Prints read errors and warnings on stderr, with their paths.
fn print_problems(result: &ScanResult) {
    let mut err = io::stderr().lock();
    for note in &result.notes {
        let _ = writeln!(err, "note: {note}");
    }
    for (label, list) in [("error", &result.errors), ("warning", &result.warnings)] {
        for problem in list {
            let _ = match &problem.path {
                Some(path) => writeln!(err, "{label}: {}: {}", path_string(path), problem.message),
                None => writeln!(err, "{label}: {}", problem.message),
            };
        }
    }
}

/// A progress display belongs on a terminal, never in CI logs.
fn show_progress() -> bool {
    io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty())
}

/// After a second of scanning, a spinner on stderr with the counts so far;
/// cleared when the scan ends.
fn progress_display(counters: &crate::scan::Progress, done: &std::sync::atomic::AtomicBool) {
    use std::sync::atomic::Ordering::Relaxed;
    let tick = std::time::Duration::from_millis(100);
    for _ in 0..10 {
        if done.load(Relaxed) {
            return;
        }
        std::thread::sleep(tick);
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    while !done.load(Relaxed) {
        bar.set_message(format!(
            "{} files scanned, {} findings so far",
            counters.files.load(Relaxed),
            counters.findings.load(Relaxed)
        ));
        bar.tick();
        std::thread::sleep(tick);
    }
    bar.finish_and_clear();
}

/// Scans with the configuration that applies: `exclude` and `extensions`
/// of the file found for the first path, `[rules]` of each file's own.
fn run_scan(walk: &WalkArgs, progress: bool) -> Result<(ScanResult, ConfigFinder), ExitCode> {
    let scanned = || -> anyhow::Result<(ScanResult, ConfigFinder)> {
        let configs = ConfigFinder::new(walk.config.as_deref())?;
        let mut options = walk.options();
        if let Some(config) = configs.for_path(&options.paths[0])? {
            options.exclude.extend(config.exclude.iter().cloned());
            if let (true, Some(extensions)) = (walk.ext.is_empty(), &config.extensions) {
                options.extensions = extensions.clone();
            }
        }
        let counters = crate::scan::Progress::default();
        let done = std::sync::atomic::AtomicBool::new(false);
        let mut result = std::thread::scope(|s| {
            if progress && show_progress() {
                s.spawn(|| progress_display(&counters, &done));
            }
            let result = crate::scan::scan_with_progress(&options, &counters);
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            result
        })?;
        crate::scan::apply_rule_settings(&mut result, &configs)?;
        Ok((result, configs))
    };
    scanned().map_err(|err| {
        eprintln!("error: {err:#}");
        ExitCode::from(EXIT_ERROR)
    })
}

fn finish(written: io::Result<()>) -> Result<(), ExitCode> {
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error of ours.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Err(ExitCode::from(EXIT_CLEAN)),
        Err(err) => {
            eprintln!("error: cannot write the report: {err}");
            Err(ExitCode::from(EXIT_ERROR))
        }
    }
}

pub fn check(args: &CheckArgs) -> ExitCode {
    let text_output = matches!(args.output_format, CheckFormat::Text) && !args.quiet;
    let (result, _) = match run_scan(&args.walk, text_output) {
        Ok(scanned) => scanned,
        Err(code) => return code,
    };
    let mut out = io::stdout().lock();
    let written = match args.output_format {
        CheckFormat::Text => report::text::print(
            &result,
            &report::text::TextOptions {
                color: use_color(args.color),
                quiet: args.quiet,
                statistics: args.statistics,
                show_unused_suppressions: args.show_unused_suppressions,
            },
            &mut out,
        ),
        CheckFormat::Json => report::json::print(&result, &mut out),
        CheckFormat::Sarif => report::sarif::print(&result, &mut out),
        CheckFormat::Github => report::github::print(&result, &mut out),
        CheckFormat::Gitlab => report::gitlab::print(&result, &mut out),
    };
    if let Err(code) = finish(written.and_then(|()| out.flush())) {
        return code;
    }
    print_problems(&result);
    if !result.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| result.findings().any(|(_, f)| f.severity >= t));
    ExitCode::from(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

pub fn calls(args: &CallsArgs) -> ExitCode {
    let text_output = matches!(args.output_format, OutputFormat::Text) && !args.quiet;
    let (result, _) = match run_scan(&args.walk, text_output) {
        Ok(scanned) => scanned,
        Err(code) => return code,
    };
    let mut out = io::stdout().lock();
    let written = match args.output_format {
        OutputFormat::Text => report::calls::print_text(&result, args.quiet, &mut out),
        OutputFormat::Json => report::calls::print_json(&result, &mut out),
    };
    if let Err(code) = finish(written.and_then(|()| out.flush())) {
        return code;
    }
    print_problems(&result);
    ExitCode::from(if result.errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    })
}

/// The prompt on a terminal: one key, no Enter needed.
struct TerminalPrompter(console::Term);

impl Prompter for TerminalPrompter {
    fn ask(&mut self, question: &str) -> io::Result<Answer> {
        loop {
            self.0.write_str(&format!("{question} "))?;
            let key = self.0.read_char()?;
            self.0.write_line(&key.to_string())?;
            match key.to_ascii_lowercase() {
                'y' => return Ok(Answer::Yes),
                'n' => return Ok(Answer::No),
                'a' => return Ok(Answer::All),
                'q' => return Ok(Answer::Quit),
                _ => self.0.write_line("Please answer y, n, a or q.")?,
            }
        }
    }
}

fn usage_error(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_ERROR)
}

/// The options shared by the commands that write: whether to ask (which
/// needs a terminal), and the validated `--from`.
fn writing_options(
    apply: bool,
    yes: bool,
    from: Option<&str>,
    needs_terminal: &str,
) -> Result<(bool, Option<Address>), ExitCode> {
    let interactive = apply && !yes;
    if interactive && !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        return Err(usage_error(needs_terminal.into()));
    }
    let from = from
        .map(Address::parse)
        .transpose()
        .map_err(|err| usage_error(format!("--from: {err:#}")))?;
    Ok((interactive, from))
}

pub fn fix(args: &FixArgs) -> ExitCode {
    let usage = usage_error;
    let (interactive, from) = match writing_options(
        args.apply,
        args.yes,
        args.from.as_deref(),
        "--apply asks change by change and needs a terminal; use --yes to apply everything without asking",
    ) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let (result, configs) = match run_scan(&args.walk, true) {
        Ok(scanned) => scanned,
        Err(code) => return code,
    };
    let resolver = SenderResolver { configs, from };
    print_problems(&result);
    let php = if args.no_lint {
        None
    } else {
        crate::apply::find_php()
    };
    let plan = match crate::fix::plan(&result, &resolver, php.as_deref()) {
        Ok(plan) => plan,
        Err(err) => return usage(format!("{err:#}")),
    };
    let color = use_color(args.color);
    let options = ExecuteOptions {
        backup: args.backup.as_deref(),
        lint: php.as_deref(),
        color,
    };
    let mut prompter = TerminalPrompter(console::Term::stdout());
    let mode = if args.yes {
        Mode::Yes
    } else if interactive {
        Mode::Interactive(&mut prompter)
    } else {
        Mode::DryRun
    };
    let dry_run = matches!(mode, Mode::DryRun);
    let mut out = io::stdout().lock();
    let outcome = match crate::fix::execute(&plan, mode, &options, &mut out) {
        Ok(outcome) => outcome,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return ExitCode::from(EXIT_ERROR),
        Err(err) => return usage(format!("{err}")),
    };
    let _ = out.flush();
    let mut err = io::stderr().lock();
    for unfixed in &plan.unfixed {
        let _ = writeln!(
            err,
            "not fixed: {}:{}: {}: {}",
            path_string(&unfixed.path),
            unfixed.line,
            unfixed.rule.id(),
            unfixed.reason
        );
    }
    for message in &outcome.errors {
        let _ = writeln!(err, "error: {message}");
    }
    let proposed_files = plan.files.iter().filter(|f| f.refused.is_none()).count();
    let _ = if dry_run {
        if outcome.proposed > 0 {
            writeln!(
                err,
                "{} change{} proposed in {} file{}; nothing written (use --apply to review them one by one, or --yes)",
                outcome.proposed,
                if outcome.proposed == 1 { "" } else { "s" },
                proposed_files,
                if proposed_files == 1 { "" } else { "s" },
            )
        } else {
            writeln!(err, "nothing to change")
        }
    } else {
        writeln!(
            err,
            "{} change{} written in {} file{}{}",
            outcome.written_changes,
            if outcome.written_changes == 1 {
                ""
            } else {
                "s"
            },
            outcome.written_files,
            if outcome.written_files == 1 { "" } else { "s" },
            if outcome.declined > 0 {
                format!(", {} declined", outcome.declined)
            } else {
                String::new()
            }
        )
    };
    if !outcome.errors.is_empty() || !result.errors.is_empty() {
        ExitCode::from(EXIT_ERROR)
    } else if (dry_run && outcome.proposed > 0) || !plan.unfixed.is_empty() || outcome.declined > 0
    {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

/// `phpmailfix mu-plugin`: the WordPress must-use plugin, as a diff, and
/// written with `--yes` or after a yes at the prompt.
pub fn mu_plugin(args: &crate::cli::MuPluginArgs) -> ExitCode {
    use crate::wordpress::{Existing, existing, locate, plugin_source, shell_safe_problem};
    let usage = usage_error;
    let (interactive, from) = match writing_options(
        args.apply,
        args.yes,
        args.from.as_deref(),
        "--apply asks before writing and needs a terminal; use --yes to write without asking",
    ) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    // Without --from, the address phpmailfix.toml gives the site, as in fix.
    let mut origin = "--from".to_string();
    let from = match from {
        Some(from) => Some(from),
        None => {
            let resolver = SenderResolver {
                configs: match ConfigFinder::new(None) {
                    Ok(configs) => configs,
                    Err(err) => return usage(format!("{err:#}")),
                },
                from: None,
            };
            match resolver.for_path(&root.join("index.php")) {
                Ok(found) => found.map(|(address, source)| {
                    if matches!(source, crate::sender::Source::Config) {
                        origin = "the address of phpmailfix.toml".to_string();
                    }
                    address
                }),
                Err(err) => return usage(format!("{err:#}")),
            }
        }
    };
    if let Some(problem) = from.as_ref().and_then(shell_safe_problem) {
        return usage(format!("{origin}: {problem}"));
    }
    let site = match locate(&root, args.content_dir.as_deref()) {
        Ok(site) => site,
        Err(err) => return usage(format!("{err:#}")),
    };
    let path = site.plugin_path();
    let shown = path_string(&path);
    let old = match existing(&path) {
        Ok(Existing::None) => None,
        Ok(Existing::Ours(bytes)) => Some(bytes),
        Ok(Existing::Foreign) => {
            return usage(format!(
                "{shown} exists and was not generated by phpmailfix; not touching it (rename or remove it first)"
            ));
        }
        Err(err) => return usage(format!("{err:#}")),
    };
    let new = plugin_source(from.as_ref()).into_bytes();
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "WordPress {} at {}; must-use plugins in {} ({})",
        site.version.as_deref().unwrap_or("(unknown version)"),
        path_string(&site.root),
        path_string(&site.mu_plugin_dir),
        site.source
    );
    for note in &site.notes {
        let _ = writeln!(err, "note: {note}");
    }
    if old.as_deref() == Some(&new[..]) {
        let _ = writeln!(err, "{shown} is up to date");
        return ExitCode::from(EXIT_CLEAN);
    }
    if !args.no_lint
        && let Some(php) = crate::apply::find_php()
        && let Err(e) = crate::apply::check_lint(&php, b"<?php\n", &new)
    {
        return usage(format!("the generated plugin fails php -l: {e:#}"));
    }
    let color = use_color(args.color);
    let mut out = io::stdout().lock();
    let original = old.as_deref().unwrap_or_default();
    let name = crate::diff::DiffNames::new([path.as_path()]).name(&path);
    match crate::diff::write_diff(&mut out, &name, original, &new, old.is_none(), color) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::from(EXIT_ERROR),
        Err(e) => return usage(e.to_string()),
    }
    let _ = out.flush();
    drop(out);
    if !args.yes && !interactive {
        let _ = writeln!(err, "nothing written (use --apply to confirm, or --yes)");
        return ExitCode::from(EXIT_FINDINGS);
    }
    if interactive {
        let mut prompter = TerminalPrompter(console::Term::stdout());
        match prompter.ask("Write this file? [y]es [n]o") {
            Ok(crate::fix::Answer::Yes | crate::fix::Answer::All) => {}
            Ok(_) => {
                let _ = writeln!(err, "nothing written");
                return ExitCode::from(EXIT_FINDINGS);
            }
            Err(e) => return usage(e.to_string()),
        }
    }
    let written = match &old {
        None => crate::apply::create_new(&path, &new),
        Some(old) => crate::apply::write_atomic(&path, old, &new, None),
    };
    match written {
        Ok(()) => {
            let _ = writeln!(
                err,
                "{} {shown}; remove that file to uninstall it",
                if old.is_none() { "created" } else { "updated" }
            );
            ExitCode::from(EXIT_CLEAN)
        }
        Err(e) => usage(format!("{e:#}")),
    }
}

/// `phpmailfix config`: the effective configuration, as TOML with comments.
pub fn config(args: &crate::cli::ConfigArgs) -> ExitCode {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let found = ConfigFinder::new(args.config.as_deref()).and_then(|c| c.for_path(&path));
    let config = match found {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut out = String::new();
    match &config {
        Some(c) => out.push_str(&format!("# configuration: {}\n", c.file.display())),
        None => out.push_str(&format!(
            "# no {} found in {} or above it: defaults apply\n",
            crate::config::FILE_NAME,
            path.display()
        )),
    }
    let quote = |s: &str| format!("{s:?}");
    match config.as_ref().and_then(|c| c.from.as_ref()) {
        Some(from) => out.push_str(&format!("from = {}\n", quote(from.as_str()))),
        None => out.push_str("# from: not set (fix takes --from)\n"),
    }
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| quote(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let exclude = config.as_ref().map_or(&[][..], |c| &c.exclude[..]);
    out.push_str(&format!("exclude = [{}]\n", list(exclude)));
    let default_extensions: Vec<String> =
        DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect();
    let (extensions, source) = match config.as_ref().and_then(|c| c.extensions.clone()) {
        Some(e) => (e, "set"),
        None => (default_extensions, "default"),
    };
    out.push_str(&format!(
        "extensions = [{}]  # {source}\n",
        list(&extensions)
    ));
    out.push_str("\n[rules]\n");
    for rule in crate::rules::Rule::ALL {
        let setting = config.as_ref().and_then(|c| c.rule_setting(rule));
        let (value, source) = match setting {
            Some(crate::config::RuleSetting::Ignore) => ("ignore".to_string(), "set"),
            Some(crate::config::RuleSetting::Severity(s)) => (s.as_str().to_string(), "set"),
            None => (rule.default_severity().as_str().to_string(), "default"),
        };
        out.push_str(&format!("{} = {}  # {source}\n", rule.id(), quote(&value)));
    }
    for sender in config.as_ref().map_or(&[][..], |c| &c.senders[..]) {
        out.push_str(&format!(
            "\n[[sender]]\npath = {}\nfrom = {}\n",
            quote(&sender.pattern),
            quote(sender.from.as_str())
        ));
    }
    print!("{out}");
    ExitCode::from(EXIT_CLEAN)
}

/// `phpmailfix completions SHELL`, generated from the clap definitions.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "phpmailfix", &mut io::stdout());
    ExitCode::from(EXIT_CLEAN)
}

/// `phpmailfix man`: the man page, from the same clap definitions.
pub fn man() -> ExitCode {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = io::stdout().lock();
    let written = clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .and_then(|()| {
            // One section per subcommand, so that their options are there too.
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                writeln!(out, ".SH \"PHPMAILFIX {}\"", sub.get_name().to_uppercase())?;
                let page = clap_mangen::Man::new(sub.clone());
                page.render_description_section(&mut out)?;
                page.render_options_section(&mut out)?;
            }
            Ok(())
        });
    match finish(written) {
        Ok(()) => ExitCode::from(EXIT_CLEAN),
        Err(code) => code,
    }
}

/// `phpmailfix rule RULE | --all`: the rules' documentation, from the same
/// text as SARIF's help and the README's reference.
pub fn rule(args: &crate::cli::RuleArgs) -> ExitCode {
    use crate::rules::{Rule, plain_text};
    let rules: Vec<Rule> = match (&args.rule, args.all) {
        (_, true) => Rule::ALL.to_vec(),
        (Some(id), false) => match Rule::from_id(id) {
            Some(rule) => vec![rule],
            None => {
                eprintln!(
                    "error: unknown rule `{id}` (known: {})",
                    Rule::ALL.map(Rule::id).join(", ")
                );
                return ExitCode::from(EXIT_ERROR);
            }
        },
        (None, false) => Vec::new(),
    };
    let pages: Vec<String> = rules
        .iter()
        .map(|rule| {
            if args.markdown {
                rule.reference_markdown()
            } else {
                let (bad, good) = rule.example();
                format!(
                    "{} ({}{})\n\n{}\n\nExample:\n    {bad}\nbecomes\n    {good}\n",
                    rule.id(),
                    rule.default_severity().as_str(),
                    if rule.fixed_by_fix() {
                        ", fixed by phpmailfix fix"
                    } else {
                        ""
                    },
                    plain_text(&rule.help_markdown())
                )
            }
        })
        .collect();
    print!("{}", pages.join("\n"));
    ExitCode::from(EXIT_CLEAN)
}

/// `phpmailfix trace`: the log and/or the queue first (a Postfix error
/// stops the run before the scan), then the scan, then the report.
pub fn trace(args: &crate::cli::TraceArgs) -> ExitCode {
    use crate::trace::{Trace, queue::Postfix, read_logs, report as trace_report};
    let fail = |err: anyhow::Error| {
        eprintln!("error: {err:#}");
        ExitCode::from(EXIT_ERROR)
    };
    let log = match read_logs(&args.maillog) {
        Ok(log) => log,
        Err(err) => return fail(err),
    };
    let postfix = Postfix {
        config: args.postfix_config.clone(),
    };
    let queue = match args.queue.then(|| postfix.read()).transpose() {
        Ok(queue) => queue,
        Err(err) => return fail(err),
    };
    let text_output = matches!(args.output_format, OutputFormat::Text);
    let (result, _) = match run_scan(&args.walk, text_output) {
        Ok(scanned) => scanned,
        Err(code) => return code,
    };
    let trace = match Trace::build(&log, queue.as_ref(), &result, &args.walk.options()) {
        Ok(trace) => trace,
        Err(err) => return fail(err),
    };
    let mut out = io::stdout().lock();
    let written = match args.output_format {
        OutputFormat::Text => {
            trace_report::print_text(&trace, &result, use_color(args.color), &mut out)
        }
        OutputFormat::Json => trace_report::print_json(&trace, &result, &mut out),
    };
    if let Err(code) = finish(written.and_then(|()| out.flush())) {
        return code;
    }
    print_problems(&result);
    ExitCode::from(if !result.errors.is_empty() {
        EXIT_ERROR
    } else if trace.traced() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
