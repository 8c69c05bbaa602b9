//! What each subcommand does, from parsed arguments to an exit code.

use crate::cli::{CallsArgs, CheckArgs, ColorChoice, OutputFormat, WalkArgs};
use crate::report::{self, path_string};
use crate::scan::{ScanResult, scan};
use crate::walk::{DEFAULT_EXTENSIONS, WalkOptions};
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
    for (label, list) in [("error", &result.errors), ("warning", &result.warnings)] {
        for problem in list {
            let _ = match &problem.path {
                Some(path) => writeln!(err, "{label}: {}: {}", path_string(path), problem.message),
                None => writeln!(err, "{label}: {}", problem.message),
            };
        }
    }
}

fn run_scan(walk: &WalkArgs) -> Result<ScanResult, ExitCode> {
    scan(&walk.options()).map_err(|err| {
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
    let result = match run_scan(&args.walk) {
        Ok(result) => result,
        Err(code) => return code,
    };
    let mut out = io::stdout().lock();
    let written = match args.output_format {
        OutputFormat::Text => report::text::print(
            &result,
            &report::text::TextOptions {
                color: use_color(args.color),
                quiet: args.quiet,
                statistics: args.statistics,
            },
            &mut out,
        ),
        OutputFormat::Json => report::json::print(&result, &mut out),
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
    let result = match run_scan(&args.walk) {
        Ok(result) => result,
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
