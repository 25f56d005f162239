//! The `citykg` binary: parse the command line, set up logging, dispatch. Exit codes: 0 success,
//! 1 runtime error, 2 usage error (clap's own).
#![allow(clippy::print_stdout, clippy::print_stderr)] // the CLI's output is its job

mod commands;

use citykg::edge::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    citykg::edge::telemetry::init();
    let outcome = match cli.command {
        Command::Serve(args) => commands::serve(&args),
        Command::Load(args) => commands::load(&args),
        Command::Dump(args) => commands::dump(&args),
        Command::Query(args) => commands::query(&args),
        Command::Map(args) => commands::map::map(&args),
        Command::Mapping(citykg::edge::cli::MappingCommand::Convert { file, to }) => {
            commands::map::convert(&file, to)
        }
        Command::Token(command) => commands::token(command),
        Command::Harvest(args) => commands::harvest::harvest(&args),
        Command::RebuildState(args) => commands::rebuild_state(&args),
        Command::Validate(args) => match commands::validate::validate(&args) {
            // The report is out; 3 says the data does not conform (DESIGN.md).
            Ok(false) => return ExitCode::from(3),
            Ok(true) => Ok(()),
            Err(error) => Err(error),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
