//! Default paths of the fetched models, ONNX Runtime library and test photos on a developer machine.
//!
//! `scripts/setup` fills a cache folder that is never committed. On a phone the app passes its
//! own paths instead; these defaults serve the CLI, the tests and the benchmarks.

use std::path::PathBuf;

/// Environment variable that overrides the cache folder.
pub const CACHE_DIR_ENV: &str = "SIPERLU_CACHE_DIR";

/// Returns the cache folder: `$SIPERLU_CACHE_DIR`, or `.cache` at the root of the source tree
/// this crate was built from.
pub fn cache_dir() -> PathBuf {
    match std::env::var_os(CACHE_DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => source_root().join(".cache"),
    }
}

/// Returns the root of the source tree this crate was built from.
pub fn source_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Returns the path of `models/manifest.toml` in the source tree.
pub fn model_manifest_path() -> PathBuf {
    source_root().join("models").join("manifest.toml")
}

/// Returns the folder holding the fetched `.onnx` files.
pub fn models_dir() -> PathBuf {
    cache_dir().join("models")
}

/// Returns the folder holding the ONNX Runtime shared library.
pub fn onnxruntime_dir() -> PathBuf {
    cache_dir().join("onnxruntime")
}

/// Returns the path of a fetched test photo, such as `face_recognition/obama.jpg`.
pub fn test_photo(relative: &str) -> PathBuf {
    cache_dir().join("photos").join(relative)
}
