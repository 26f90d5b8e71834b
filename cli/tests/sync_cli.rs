//! `siperlu admin`, `siperlu device register` and `siperlu device sync` as scripts/demo runs
//! them: the real binary against a real `siperlu server` on 127.0.0.1 with a temporary
//! database, and a simulated phone enrolled from real photos (the GPS fix is given on the
//! command line).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const NIP: &str = "198708172010011003";

/// Stops the server when the test ends, even when it fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(folder: &Path, password_file: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["server", "--listen", "127.0.0.1:0", "--db"])
        .arg(folder.join("server.db"))
        .arg("--admin-password-file")
        .arg(password_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn siperlu server");
    let stdout = child.stdout.take().expect("stdout");
    let mut url = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read stdout");
        if let Some(address) = line.strip_prefix("siperlu server listening on ") {
            url = address.to_string();
            break;
        }
    }
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "listening line: {url}"
    );
    (Server(child), url)
}

/// Runs the binary and returns its stdout, failing the test with stderr on a non-zero exit.
fn run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(args)
        .output()
        .expect("run siperlu");
    assert!(
        output.status.success(),
        "siperlu {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

fn photo(name: &str) -> String {
    siperlu_core::assets::test_photo(&format!("face_recognition/{name}"))
        .display()
        .to_string()
}

#[test]
fn admin_register_and_sync_commands() {
    let folder = tempfile::tempdir().expect("temp dir");
    let password_file = folder.path().join("admin-password");
    std::fs::write(&password_file, "kata-sandi-uji-cli-2026\n").expect("password file");
    let (_server, url) = start_server(folder.path(), &password_file);
    let password = password_file.display().to_string();
    let admin = |args: &[&str]| {
        let mut all = vec!["admin", "--server", &url, "--password-file", &password];
        all.extend_from_slice(args);
        run(&all).trim().to_string()
    };

    let opd = admin(&["opd-add", "--name", "Sekretariat Daerah Kabupaten Jombang"]);
    let office = admin(&[
        "office-add",
        "--code",
        "KB-JBG",
        "--name",
        "Kantor Bupati Jombang",
        "--opd-id",
        &opd,
        "--polygon",
        "-7.5450,112.2320 -7.5450,112.2346 -7.5476,112.2346 -7.5476,112.2320",
    ]);
    assert_eq!(
        admin(&[
            "asn-add",
            "--nip",
            NIP,
            "--name",
            "Sri Wahyuni",
            "--opd-id",
            &opd
        ]),
        NIP
    );
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(1)).to_string();
    let until = (today + chrono::Duration::days(30)).to_string();
    admin(&[
        "assign",
        "--nip",
        NIP,
        "--office-id",
        &office,
        "--from",
        &from,
        "--until",
        &until,
    ]);
    let code = admin(&["code", "--nip", NIP]);
    assert!(code.len() >= 8, "enrollment code {code:?}");

    let phone: PathBuf = folder.path().join("phone");
    let data_dir = phone.display().to_string();
    run(&["device", "init", "--data-dir", &data_dir]);
    run(&[
        "device",
        "enroll",
        "--data-dir",
        &data_dir,
        "--nip",
        NIP,
        "--photo",
        &photo("obama.jpg"),
        "--photo",
        &photo("obama2.jpg"),
        "--photo",
        &photo("32bit.png"),
    ]);
    let registered = run(&[
        "device",
        "register",
        "--data-dir",
        &data_dir,
        "--server",
        &url,
        "--code",
        &code,
    ]);
    assert!(registered.contains("places\t1"), "{registered}");

    run(&[
        "device",
        "check-in",
        "--data-dir",
        &data_dir,
        "--selfie",
        &photo("obama3.jpg"),
        "--lat",
        "-7.5463",
        "--lon",
        "112.2333",
        "--accuracy",
        "8",
    ]);
    let synced = run(&[
        "device",
        "sync",
        "--data-dir",
        &data_dir,
        "--server",
        &url,
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&synced).expect("sync JSON");
    assert_eq!(report["accepted"], 1, "{report}");
    assert_eq!(report["rejected"], serde_json::json!([]));

    let listed = admin(&["checkins"]);
    assert!(
        listed.starts_with("1 presensi tersinkron di server:"),
        "{listed}"
    );
    assert!(listed.contains("Kantor Bupati Jombang"), "{listed}");
    assert!(listed.contains("putusan server di dalam area"), "{listed}");
}

#[test]
fn admin_error_in_indonesian() {
    let folder = tempfile::tempdir().expect("temp dir");
    let password_file = folder.path().join("admin-password");
    std::fs::write(&password_file, "kata-sandi-uji-cli-2026\n").expect("password file");
    let (_server, url) = start_server(folder.path(), &password_file);
    let password = password_file.display().to_string();

    let opd = run(&[
        "admin",
        "--server",
        &url,
        "--password-file",
        &password,
        "opd-add",
        "--name",
        "Dinas Kesehatan",
    ]);
    let output = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["admin", "--server", &url, "--password-file", &password])
        .args(["asn-add", "--nip", "12345", "--name", "Budi", "--opd-id"])
        .arg(opd.trim())
        .output()
        .expect("run siperlu");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("NIP"), "{error}");
    assert!(error.contains("12345"), "{error}");
    assert!(error.contains("HTTP 400"), "{error}");
    assert!(
        !error.contains("\"message\""),
        "the text, not the JSON body: {error}"
    );
}
