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

fn photo_path(relative: &str) -> String {
    let path = siperlu_core::assets::test_photo(relative);
    assert!(
        path.exists(),
        "test photo {} is missing; run scripts/setup",
        path.display()
    );
    path.display().to_string()
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let output = siperlu().args(args).output().expect("run siperlu");
    assert!(
        output.status.success(),
        "siperlu {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

#[test]
fn face_inspect_group_photo() {
    let photo = photo_path("insightface/t1.jpg");
    let output = run_json(&["face", "inspect", &photo, "--json"]);
    let faces = output["faces"].as_array().expect("faces array");
    assert!(faces.len() >= 5, "{output}");
    assert!(faces[0]["score"].as_f64().expect("score") > 0.7);
    assert_eq!(
        output["reasons"],
        serde_json::json!(["face.multiple_faces"])
    );
    assert!(output["liveness"].is_null());
}

#[test]
fn face_inspect_single_face_is_live() {
    let photo = photo_path("face_recognition/obama.jpg");
    let output = run_json(&["face", "inspect", &photo, "--json"]);
    assert_eq!(output["faces"].as_array().expect("faces").len(), 1);
    assert_eq!(output["reasons"], serde_json::json!([]));
    assert_eq!(output["liveness"]["live"], serde_json::json!(true));
}

#[test]
fn face_inspect_grey_print_is_not_live() {
    // A grey print of obama3.jpg passes every quality gate but scores about 0.2 for liveness.
    let colour = image::open(photo_path("face_recognition/obama3.jpg")).expect("obama3.jpg");
    let directory = tempfile::tempdir().expect("temp dir");
    let grey = directory.path().join("grey.jpg");
    colour.to_luma8().save(&grey).expect("write grey JPEG");

    let output = run_json(&["face", "inspect", &grey.display().to_string(), "--json"]);
    assert_eq!(output["reasons"], serde_json::json!(["face.not_live"]));
    assert_eq!(output["liveness"]["live"], serde_json::json!(false));
}

#[test]
fn face_option_errors_name_the_option() {
    let photo = photo_path("face_recognition/obama.jpg");

    let threads = siperlu()
        .args(["face", "--threads", "0", "inspect", &photo])
        .output()
        .expect("run siperlu");
    assert!(!threads.status.success());
    let error = String::from_utf8_lossy(&threads.stderr);
    assert!(error.contains("--threads"), "stderr: {error}");

    let library = siperlu()
        .args(["face", "--onnxruntime", "/nonexistent/libonnxruntime.so"])
        .args(["inspect", &photo])
        .output()
        .expect("run siperlu");
    assert!(!library.status.success());
    let error = String::from_utf8_lossy(&library.stderr);
    assert!(error.contains("--onnxruntime FILE"), "stderr: {error}");
}

#[test]
fn face_compare_same_and_different() {
    let obama = photo_path("face_recognition/obama.jpg");
    let obama3 = photo_path("face_recognition/obama3.jpg");
    let biden = photo_path("face_recognition/biden.jpg");

    let same = run_json(&["face", "compare", &obama, &obama3, "--json"]);
    assert_eq!(same["match"], serde_json::json!(true), "{same}");
    assert!(
        same["score"].as_f64().expect("score") >= same["threshold"].as_f64().expect("threshold")
    );
    assert!(same["timings_ms"]["total_ms"].as_f64().expect("timing") > 0.0);
    assert!(same["liveness"]["score"].is_number());

    let different = run_json(&["face", "compare", &obama, &biden, "--json"]);
    assert_eq!(different["match"], serde_json::json!(false), "{different}");
    assert_eq!(different["reasons"], serde_json::json!(["face.no_match"]));
}

#[test]
fn face_compare_rejected_reference_fails() {
    let group = photo_path("insightface/t1.jpg");
    let obama = photo_path("face_recognition/obama.jpg");
    let output = siperlu()
        .args(["face", "compare", &group, &obama])
        .output()
        .expect("run siperlu");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("face.multiple_faces"), "stderr: {error}");
}

#[test]
fn face_inspect_empty_file_fails() {
    let directory = tempfile::tempdir().expect("temp dir");
    let empty = directory.path().join("empty.jpg");
    std::fs::write(&empty, b"").expect("write empty file");
    let output = siperlu()
        .args(["face", "inspect", &empty.display().to_string()])
        .output()
        .expect("run siperlu");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("the photo is empty"), "stderr: {error}");
}

#[test]
fn face_eval_reports_rates() {
    let directory = tempfile::tempdir().expect("temp dir");
    let labels = directory.path().join("labels.csv");
    let root = siperlu_core::assets::test_photo("face_recognition");
    std::fs::write(
        &labels,
        "file,identity\nobama.jpg,obama\nobama2.jpg,obama\nobama3.jpg,obama\nbiden.jpg,biden\nmissing.jpg,biden\n",
    )
    .expect("write labels");
    let output = run_json(&[
        "face",
        "eval",
        &root.display().to_string(),
        "--labels",
        &labels.display().to_string(),
        "--json",
    ]);
    assert_eq!(output["detection_rate"], serde_json::json!(1.0));
    assert!(
        output["unreadable"]["missing.jpg"]
            .as_str()
            .is_some_and(|error| error.contains("cannot read the file")),
        "a missing photo is listed, not fatal: {output}"
    );
    assert_eq!(output["genuine"]["count"], serde_json::json!(3));
    assert_eq!(output["impostor"]["count"], serde_json::json!(3));
    assert_eq!(output["false_accept_rate"], serde_json::json!(0.0));
    assert_eq!(output["false_reject_rate"], serde_json::json!(0.0));
    assert_eq!(
        output["enrolled_impostor"]["count"],
        serde_json::json!(1),
        "Biden's photo against the three-photo Obama template: {output}"
    );
    for field in ["eer_threshold", "zero_false_accept_threshold", "threshold"] {
        assert!(output[field].is_number(), "{field} missing: {output}");
    }
}

#[test]
fn face_eval_wrong_folder_explained() {
    let directory = tempfile::tempdir().expect("temp dir");
    let labels = directory.path().join("labels.csv");
    std::fs::write(&labels, "file,identity\nobama.jpg,obama\nbiden.jpg,biden\n")
        .expect("write labels");
    let missing = directory.path().join("no-such-folder");

    let output = siperlu()
        .args(["face", "eval", &missing.display().to_string()])
        .args(["--labels", &labels.display().to_string()])
        .output()
        .expect("run siperlu");

    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("2 could not be read"), "stderr: {error}");
    assert!(
        error.contains("obama.jpg: cannot read the file"),
        "stderr: {error}"
    );
    assert!(error.contains("Check the folder"), "stderr: {error}");
}

#[test]
fn face_help_lists_json_fields() {
    for (subcommand, field) in [
        ("inspect", "reasons"),
        ("compare", "timings_ms"),
        ("eval", "zero_false_accept_threshold"),
    ] {
        let output = siperlu()
            .args(["face", subcommand, "--help"])
            .output()
            .expect("run help");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(
            help.contains(field),
            "{subcommand} --help should document {field}:\n{help}"
        );
    }
}

/// Runs siperlu with its stdout on a pipe whose reading end is already closed, as when
/// `| head` has exited, and checks that it ends quietly rather than panicking.
#[cfg(unix)]
fn assert_quiet_on_closed_stdout(arguments: &[&str]) {
    use std::os::unix::process::ExitStatusExt;

    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = siperlu()
        .args(arguments)
        .stdout(writer)
        .output()
        .expect("siperlu runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{arguments:?}: {stderr}");
    assert!(
        output.status.success() || output.status.signal() == Some(13),
        "{arguments:?} should end quietly (SIGPIPE), got {:?}: {stderr}",
        output.status
    );
}

#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly() {
    assert_quiet_on_closed_stdout(&["messages"]);

    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let data_dir = data_dir.to_str().expect("UTF-8 path");
    let init = siperlu()
        .args(["device", "init", "--data-dir", data_dir])
        .output()
        .expect("siperlu runs");
    assert!(init.status.success());
    assert_quiet_on_closed_stdout(&["device", "records", "--data-dir", data_dir, "--json"]);
}

#[test]
fn redirected_logs_have_no_colour_codes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let output = siperlu()
        .args(["device", "init", "--data-dir"])
        .arg(&data_dir)
        .env("SIPERLU_LOG", "info")
        .output()
        .expect("siperlu runs");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("device identity created"),
        "the info log is written: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "ANSI escape in a redirected log: {stderr:?}"
    );
}

#[test]
fn device_error_is_printed_once() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = folder.path().join("phone");
    let init = siperlu()
        .args(["device", "init", "--data-dir"])
        .arg(&data_dir)
        .output()
        .expect("siperlu runs");
    assert!(init.status.success());
    // A damaged store is a storage error of the device API.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("siperlu.db{suffix}")));
    }
    std::fs::write(data_dir.join("siperlu.db"), vec![0x5a; 8192]).expect("garbage written");

    let output = siperlu()
        .args(["device", "config", "show", "--data-dir"])
        .arg(&data_dir)
        .env_remove("SIPERLU_LOG")
        .output()
        .expect("siperlu runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("siperlu: error:"), "{stderr}");
    assert!(
        !stderr.contains("device call failed"),
        "the error is logged besides being printed: {stderr}"
    );
}

#[test]
fn unknown_locale_is_rejected() {
    let output = siperlu()
        .args(["messages", "--locale", "xx"])
        .output()
        .expect("siperlu runs");
    assert!(
        !output.status.success(),
        "--locale xx must not fall back silently"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown locale \"xx\""), "{stderr}");
    assert!(
        stderr.contains("`id`") && stderr.contains("`en`"),
        "{stderr}"
    );

    let english = siperlu()
        .args(["messages", "--locale", "en-US", "--id", "device.no_config"])
        .output()
        .expect("siperlu runs");
    assert!(english.status.success());
    assert!(String::from_utf8_lossy(&english.stdout).contains("office configuration"));
}

#[test]
fn policy_file_with_a_typo_is_rejected() {
    let folder = tempfile::tempdir().expect("temp dir");
    let policy = folder.path().join("policy.json");
    std::fs::write(&policy, r#"{"match_treshold": 0.99}"#).expect("policy written");
    let output = siperlu()
        .args(["face", "--policy"])
        .arg(&policy)
        .args(["inspect", "missing.jpg"])
        .output()
        .expect("siperlu runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown fields match_treshold"), "{stderr}");
    assert!(
        stderr.contains("match_threshold"),
        "the known fields are listed: {stderr}"
    );
}
