//! Helpers shared by the CLI integration tests that run the built `siperlu` binary.

use std::process::{Command, Output};

/// Runs the built `siperlu` binary with `arguments` and returns its output.
pub fn siperlu(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(arguments)
        .output()
        .expect("siperlu runs")
}

/// Formats both output streams for an assertion message.
pub fn text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
