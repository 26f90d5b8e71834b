//! Drives `siperlu device plan set|show` on a real data folder: revisions are numbered and
//! signed, an empty title and a passed cutoff are rejected with the catalog's texts.

mod common;

use common::{siperlu, text};

const NIP: &str = "199001012015031001";
const OFFICES_WITA: &str = r#"{"offices": [{"id": "bkpsdm-makassar", "name": "BKPSDM Kota Makassar",
  "time_zone": "WITA", "fences": [{"type": "circle", "center": {"lat": -5.1477, "lon": 119.4327},
  "radius_m": 100}]}]}"#;

/// Initialises a phone data folder in `folder` and returns its path.
fn init_phone(folder: &std::path::Path) -> String {
    let data_dir = folder
        .join("phone")
        .to_str()
        .expect("UTF-8 path")
        .to_string();
    let init = siperlu(&["device", "init", "--data-dir", &data_dir]);
    assert!(init.status.success(), "{}", text(&init));
    data_dir
}

/// Runs `device plan ACTION` on `data_dir` for `nip`, followed by `arguments`.
fn plan(data_dir: &str, action: &str, nip: &str, arguments: &[&str]) -> std::process::Output {
    let mut all = vec![
        "device",
        "plan",
        action,
        "--data-dir",
        data_dir,
        "--nip",
        nip,
    ];
    all.extend_from_slice(arguments);
    siperlu(&all)
}

// NOTE: saving uses the default 23:59 cutoff, so this test fails if it runs during the minute
// 23:59-00:00 WITA (15:59 UTC).
#[test]
fn plan_set_and_show() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = init_phone(folder.path());
    let data_dir = data_dir.as_str();

    let first = plan(
        data_dir,
        "set",
        NIP,
        &[
            "--zone",
            "WITA",
            "--item",
            "Verifikasi berkas|12 berkas|08:00-11:30",
            "--item",
            "Rapat koordinasi OPD|Notulen||done|selesai",
        ],
    );
    assert!(first.status.success(), "{}", text(&first));

    let second = plan(
        data_dir,
        "set",
        NIP,
        &[
            "--zone",
            "WITA",
            "--json",
            "--item",
            "Verifikasi berkas|12 berkas|08:00-11:30|not_done|berkas belum lengkap",
        ],
    );
    assert!(second.status.success(), "{}", text(&second));
    let saved: serde_json::Value = serde_json::from_slice(&second.stdout).expect("JSON");
    assert_eq!(saved["revision"], 2);

    let show = plan(data_dir, "show", NIP, &["--zone", "WITA", "--json"]);
    assert!(show.status.success(), "{}", text(&show));
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).expect("JSON");
    assert_eq!(shown["revision"], 2);
    assert_eq!(shown["items"][0]["status"], "not_done");
    assert_eq!(shown["items"][0]["window"], "08:00-11:30");
    assert_eq!(shown["items"][0]["note"], "berkas belum lengkap");
    assert_eq!(shown["items"].as_array().map(Vec::len), Some(1));
    assert!(shown["refused_reason_id"].is_null(), "{shown}");

    // A sync run marks a revision the server rejected. Here the store API marks it directly.
    let day = chrono::NaiveDate::parse_from_str(shown["day"].as_str().expect("day"), "%Y-%m-%d")
        .expect("date");
    let folder_path = std::path::Path::new(data_dir);
    let vault = siperlu_core::vault::SoftwareVault::open_key_file(&folder_path.join("vault.key"))
        .expect("vault");
    let mut store = siperlu_core::store::Store::open(
        &folder_path.join("siperlu.db"),
        std::sync::Arc::new(vault),
    )
    .expect("store");
    store
        .mark_plan_refused(NIP, day, 2, "plan.past_cutoff", 1_000)
        .expect("mark refused");
    drop(store);

    let refused = plan(data_dir, "show", NIP, &["--zone", "WITA", "--json"]);
    assert!(refused.status.success(), "{}", text(&refused));
    let shown: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("JSON");
    assert_eq!(shown["refused_reason_id"], "plan.past_cutoff");
}

#[test]
fn plan_rejects_bad_edits() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = init_phone(folder.path());
    let data_dir = data_dir.as_str();

    let empty_title = plan(data_dir, "set", NIP, &["--item", "|output"]);
    assert!(!empty_title.status.success());
    assert!(
        String::from_utf8_lossy(&empty_title.stderr).contains("Judul kegiatan nomor 1 belum diisi"),
        "{}",
        text(&empty_title)
    );

    // A cutoff of 00:00 has always passed.
    let late = plan(
        data_dir,
        "set",
        NIP,
        &["--cutoff", "00:00", "--item", "Apel pagi"],
    );
    assert!(!late.status.success());
    assert!(
        String::from_utf8_lossy(&late.stderr).contains("sudah lewat"),
        "{}",
        text(&late)
    );

    let bad_status = plan(data_dir, "set", NIP, &["--item", "Apel|x||selesai"]);
    assert!(!bad_status.status.success());
    assert!(
        String::from_utf8_lossy(&bad_status.stderr)
            .contains("Status kegiatan nomor 1 (selesai) tidak dikenal"),
        "{}",
        text(&bad_status)
    );

    let reversed_window = plan(
        data_dir,
        "set",
        NIP,
        &["--item", "Apel", "--item", "Rapat|Notulen|10:00-09:00"],
    );
    assert!(!reversed_window.status.success());
    let stderr = String::from_utf8_lossy(&reversed_window.stderr);
    assert!(
        stderr.contains("Jam kegiatan nomor 2 (10:00-09:00) tidak valid"),
        "{}",
        text(&reversed_window)
    );
    assert!(
        !stderr.contains("encoding"),
        "no encoder text: {}",
        text(&reversed_window)
    );

    let bad_day = plan(
        data_dir,
        "show",
        NIP,
        &["--day", "4-12-2026", "--locale", "en"],
    );
    assert!(!bad_day.status.success());
    assert!(
        String::from_utf8_lossy(&bad_day.stderr).contains("The date 4-12-2026 is invalid"),
        "{}",
        text(&bad_day)
    );

    let bad_nip = plan(data_dir, "set", "12345", &["--item", "Apel"]);
    assert!(!bad_nip.status.success());
    assert!(
        String::from_utf8_lossy(&bad_nip.stderr).contains("18 digits"),
        "{}",
        text(&bad_nip)
    );
}

#[test]
fn plan_for_another_nip_is_refused() {
    let folder = tempfile::tempdir().expect("temp dir");
    let data_dir = init_phone(folder.path());
    let data_dir = data_dir.as_str();
    let offices = folder.path().join("offices.json");
    std::fs::write(&offices, OFFICES_WITA).expect("offices written");
    let import = siperlu(&[
        "device",
        "config",
        "import",
        "--data-dir",
        data_dir,
        "--offices",
        offices.to_str().expect("UTF-8 path"),
        "--nip",
        NIP,
    ]);
    assert!(import.status.success(), "{}", text(&import));

    let other = plan(
        data_dir,
        "set",
        "198503152010011002",
        &["--item", "Apel pagi", "--locale", "en"],
    );
    assert!(!other.status.success(), "{}", text(&other));
    assert!(
        String::from_utf8_lossy(&other.stderr)
            .contains("only for the NIP registered on this phone"),
        "{}",
        text(&other)
    );
}
