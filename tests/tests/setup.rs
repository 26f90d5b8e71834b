//! scripts/setup as a new engineer runs it: idempotent, and loud about a wrong hash.
//!
//! Both tests use the archives that scripts/setup already fetched into the real cache, so they
//! reach no registry.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    siperlu_core::assets::source_root()
}

fn downloads_dir() -> PathBuf {
    let dir = siperlu_core::assets::cache_dir().join("downloads");
    assert!(
        dir.is_dir(),
        "{} is missing: run scripts/setup first",
        dir.display()
    );
    dir
}

#[test]
fn second_run_downloads_nothing() {
    let output = Command::new(repo_root().join("scripts/setup"))
        .output()
        .expect("run scripts/setup");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "setup failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("nothing downloaded"),
        "setup should have found everything in place:\n{stdout}"
    );
    assert!(
        !stdout.contains("npm pack"),
        "setup ran npm again:\n{stdout}"
    );
    assert!(
        !stdout.contains("pip download"),
        "setup ran pip again:\n{stdout}"
    );
}

#[test]
fn wrong_sha256_fails_with_both_hashes() {
    // A copy of the repository's setup files with one pinned hash changed, and a fresh cache
    // whose downloads folder points at the real, already verified archives.
    let tree = tempfile::tempdir().expect("temporary tree");
    copy_into(&repo_root(), tree.path(), "scripts/setup");
    copy_into(&repo_root(), tree.path(), "tests/photos.toml");
    let manifest =
        std::fs::read_to_string(repo_root().join("models/manifest.toml")).expect("read manifest");
    let real_hash = "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854";
    let wrong_hash = "0000000000000000000000000000000000000000000000000000000000000000";
    assert!(
        manifest.contains(real_hash),
        "the manifest no longer pins fr_detect.onnx at {real_hash}"
    );
    std::fs::create_dir_all(tree.path().join("models")).expect("models folder");
    std::fs::write(
        tree.path().join("models/manifest.toml"),
        manifest.replace(real_hash, wrong_hash),
    )
    .expect("write manifest");

    let cache = tree.path().join("cache");
    std::fs::create_dir_all(&cache).expect("cache folder");
    std::os::unix::fs::symlink(downloads_dir(), cache.join("downloads")).expect("link downloads");

    let output = Command::new(tree.path().join("scripts/setup"))
        .env("SIPERLU_CACHE_DIR", &cache)
        .output()
        .expect("run scripts/setup");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(
        output.status.code(),
        Some(1),
        "setup should fail; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("fr_detect.onnx"),
        "message should name the file:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("expected {wrong_hash}")),
        "message should give the expected hash:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("actual   {real_hash}")),
        "message should give the actual hash:\n{stderr}"
    );
    assert!(
        stderr.contains("run scripts/setup again"),
        "message should say what to do:\n{stderr}"
    );
}

fn copy_into(from_root: &Path, to_root: &Path, relative: &str) {
    let target = to_root.join(relative);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("create parent");
    std::fs::copy(from_root.join(relative), &target).expect("copy file");
}
