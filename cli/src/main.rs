//! `pglens`: the command line over pglens-core, for CI. A thin shell: read files, call the same
//! core API the app's worker calls, print, and pick an exit code.
//!
//! Exit codes: 0 loaded (even with diagnostics), 1 check findings or diff drift at the threshold
//! (erd: no path between the tables), 2 a file could not be read or bad usage.

mod access;
mod check;
mod diff;
mod erd;
mod help;
mod input;
mod inspect;
mod paint;
mod progress;
mod report;
mod typegen;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect::run(&args[1..]),
        Some("access") => access::run(&args[1..]),
        Some("check") => check::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("erd") => erd::run(&args[1..]),
        Some("report") => report::run(&args[1..]),
        Some("typegen") => typegen::run(&args[1..]),
        Some("-h" | "--help") => {
            print!("{}", help::general());
            ExitCode::SUCCESS
        }
        Some("help") => match args.get(1).map(|c| help::command(c)) {
            Some(Some(text)) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Some(None) => {
                eprint!("{}", help::general());
                ExitCode::from(2)
            }
            None => {
                print!("{}", help::general());
                ExitCode::SUCCESS
            }
        },
        Some("--version" | "-V") => {
            println!("pglens {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{}", help::general());
            ExitCode::from(2)
        }
    }
}
