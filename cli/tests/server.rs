//! `siperlu server` as an operator runs it: first start, restart, a bad password file, and
//! the public URL option.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};

/// Starts the server and returns it with the stdout lines printed up to the listening line.
fn start(db: &std::path::Path, extra: &[&str]) -> (Child, Vec<String>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["server", "--db"])
        .arg(db)
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn siperlu server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut address = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read stdout");
        if let Some(rest) = line.strip_prefix("siperlu server listening on http://") {
            address = rest.to_string();
            lines.push(line);
            break;
        }
        lines.push(line);
    }
    assert!(!address.is_empty(), "no listening line in {lines:?}");
    (child, lines, address)
}

fn get_healthz(address: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[test]
fn first_start_prints_password_once() {
    let folder = tempfile::tempdir().expect("temp dir");
    let db = folder.path().join("siperlu.db");

    let (mut first, lines, address) = start(&db, &[]);
    assert!(
        lines
            .iter()
            .any(|line| line.contains("One-time password: ")),
        "first start prints a one-time password: {lines:?}"
    );
    let admin_line = format!("Admin pages: http://{address}/admin");
    assert!(
        lines.contains(&admin_line),
        "start prints the admin page address: {lines:?}"
    );
    let health = get_healthz(&address);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    first.kill().expect("stop server");
    first.wait().expect("wait");

    let key_path = folder.path().join("siperlu.db.server-key.p8");
    let mode = std::fs::metadata(&key_path)
        .expect("key file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "server key is readable by its owner only");

    let (mut second, lines, _) = start(&db, &[]);
    assert!(
        !lines.iter().any(|line| line.contains("password")),
        "a restart prints no password: {lines:?}"
    );
    second.kill().expect("stop server");
    second.wait().expect("wait");
}

#[test]
fn short_password_file_rejected() {
    let folder = tempfile::tempdir().expect("temp dir");
    let password_file = folder.path().join("password");
    std::fs::write(&password_file, "pendek\n").expect("write password file");
    let output = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["server", "--listen", "127.0.0.1:0", "--db"])
        .arg(folder.path().join("siperlu.db"))
        .arg("--admin-password-file")
        .arg(&password_file)
        .output()
        .expect("run siperlu server");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        error.matches("use at least 12").count(),
        1,
        "the cause is said once: {error}"
    );
}

#[test]
fn invalid_public_url_rejected() {
    let folder = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["server", "--listen", "127.0.0.1:0", "--db"])
        .arg(folder.path().join("siperlu.db"))
        .args(["--public-url", "presensi.example.go.id"])
        .output()
        .expect("run siperlu server");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("invalid public URL \"presensi.example.go.id\""),
        "{error}"
    );
    assert!(error.contains("it has no scheme"), "{error}");
}

#[test]
fn https_public_url_secures_login_cookie() {
    let folder = tempfile::tempdir().expect("temp dir");
    let db = folder.path().join("siperlu.db");
    let (mut server, _, address) = start(&db, &["--public-url", "https://presensi.example.go.id"]);

    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .write_all(b"GET /admin/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    server.kill().expect("stop server");
    server.wait().expect("wait");

    let cookie = response
        .lines()
        .find(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie in {response}"));
    assert!(cookie.contains("__Host-siperlu_login_csrf="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[test]
fn misspelt_device_policy_rejected() {
    let folder = tempfile::tempdir().expect("temp dir");
    let policy = folder.path().join("policy.toml");
    std::fs::write(&policy, "[face_policy]\nmatch_treshold = 0.6\n").expect("write policy");
    let output = Command::new(env!("CARGO_BIN_EXE_siperlu"))
        .args(["server", "--listen", "127.0.0.1:0", "--db"])
        .arg(folder.path().join("siperlu.db"))
        .arg("--device-policy")
        .arg(&policy)
        .output()
        .expect("run siperlu server");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("policy.toml"), "{error}");
    assert!(
        error.contains("unknown field face_policy.match_treshold"),
        "{error}"
    );
    assert!(
        !folder.path().join("siperlu.db").exists(),
        "nothing is created before the policy is valid"
    );
}

#[test]
fn valid_device_policy_starts() {
    let folder = tempfile::tempdir().expect("temp dir");
    let policy = folder.path().join("policy.toml");
    std::fs::write(
        &policy,
        "plan_cutoff = \"09:30\"\n[face_policy]\nmatch_threshold = 0.6\nrequire_blink = true\n",
    )
    .expect("write policy");
    let db = folder.path().join("siperlu.db");
    let (mut server, _, address) =
        start(&db, &["--device-policy", policy.to_str().expect("UTF-8")]);
    let healthz = get_healthz(&address);
    server.kill().expect("stop server");
    server.wait().expect("wait");
    assert!(healthz.starts_with("HTTP/1.1 200"), "{healthz}");
}
