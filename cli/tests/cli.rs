//! The `siperlu` binary as a user runs it.

use std::process::Command;

fn siperlu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siperlu"))
}

#[test]
fn help_lists_subcommands() {
    let output = siperlu()
        .arg("--help")
        .output()
        .expect("run siperlu --help");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("messages"),
        "help should list the messages subcommand:\n{help}"
    );
}

#[test]
fn version_prints_version() {
    let output = siperlu()
        .arg("--version")
        .output()
        .expect("run siperlu --version");
    assert!(output.status.success());
    let version = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        version.trim(),
        format!("siperlu {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn messages_json_lists_catalog() {
    let output = siperlu()
        .args(["messages", "--json"])
        .output()
        .expect("run siperlu messages");
    assert!(output.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let ids: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|row| row["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"common.accepted"),
        "catalog should list common.accepted: {ids:?}"
    );
}

#[test]
fn unknown_message_id_fails() {
    let output = siperlu()
        .args(["messages", "--id", "no.such"])
        .output()
        .expect("run siperlu messages");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("unknown message id \"no.such\""),
        "stderr: {error}"
    );
}
