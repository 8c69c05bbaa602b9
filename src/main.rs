use clap::Parser;
use phpmailfix::cli::{Cli, Command};
use phpmailfix::commands;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Check(args) => commands::check(args),
        Command::Calls(args) => commands::calls(args),
        Command::Fix(args) => commands::fix(args),
        Command::MuPlugin(args) => commands::mu_plugin(args),
        Command::Config(args) => commands::config(args),
        Command::Completions { shell } => commands::completions(*shell),
        Command::Man => commands::man(),
        Command::Rule(args) => commands::rule(args),
        Command::Trace(args) => commands::trace(args),
    }
}
