//! The `iryolint` binary: parse the command line and run it.

use clap::Parser;

fn main() {
    let cli = match iryolint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { iryolint::app::EXIT_ERROR } else { iryolint::app::EXIT_CLEAN };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    std::process::exit(iryolint::app::run(cli));
}
