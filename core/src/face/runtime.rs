//! ONNX Runtime plumbing: loads the shared library once per process from an explicit path,
//! checks each model file against the manifest, and wraps each session so that several threads
//! can share it.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::TensorRef;

use super::FaceError;
use super::manifest::ModelEntry;

/// The process-wide ONNX Runtime environment and the library it was loaded from. ONNX Runtime
/// allows one environment per process, so every engine shares the first one.
static ENVIRONMENT: OnceLock<Result<(PathBuf, Environment), String>> = OnceLock::new();

/// Returns the shared environment, loading the library from `library_path` on first use.
pub(crate) fn environment(library_path: &Path) -> Result<Environment, FaceError> {
    let loaded = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(library_path).map_err(|error| error.to_string())?;
        let environment = builder
            .with_name("siperlu-face")
            .with_telemetry(false)
            .build()
            .map_err(|error| error.to_string())?;
        Ok((library_path.to_path_buf(), environment))
    });

    match loaded {
        Ok((loaded_path, environment)) if loaded_path == library_path => Ok(environment.clone()),
        Ok((loaded_path, _)) => Err(FaceError::Runtime {
            path: library_path.to_path_buf(),
            detail: format!(
                "this process already loaded ONNX Runtime from {}, and a process can load only one",
                loaded_path.display()
            ),
        }),
        Err(detail) => Err(FaceError::Runtime {
            path: library_path.to_path_buf(),
            detail: detail.clone(),
        }),
    }
}

/// One model's session. ONNX Runtime sessions may run concurrently, but `ort` 2.0.0-rc.15
/// takes `&mut Session` to run, so a mutex serialises the calls to each model.
pub(crate) struct ModelSession {
    name: &'static str,
    session: Mutex<Session>,
}

/// How to check a model file before loading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModelCheck {
    /// Size and SHA-256. Hashing the five models (9.4 MB) took about 10 ms with Python's
    /// hashlib on the 2-core x86_64 development machine.
    Sha256,
    /// Size only.
    Size,
}

impl ModelSession {
    /// Reads the model file, checks it against `entry`, and creates its session.
    pub fn load(
        name: &'static str,
        environment: &Environment,
        models_dir: &Path,
        entry: &ModelEntry,
        check: ModelCheck,
        intra_threads: usize,
    ) -> Result<ModelSession, FaceError> {
        let path = models_dir.join(&entry.file);
        let bytes = std::fs::read(&path).map_err(|error| FaceError::ModelMissing {
            path: path.clone(),
            detail: error.to_string(),
        })?;

        if bytes.len() as u64 != entry.size {
            return Err(FaceError::ModelMismatch {
                path,
                expected: format!("{} bytes", entry.size),
                found: format!("{} bytes", bytes.len()),
            });
        }
        if check == ModelCheck::Sha256 {
            let digest = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
            if !digest.eq_ignore_ascii_case(&entry.sha256) {
                return Err(FaceError::ModelMismatch {
                    path,
                    expected: format!("sha256 {}", entry.sha256),
                    found: format!("sha256 {digest}"),
                });
            }
        }

        let inference_error = |error: ort::Error<_>| FaceError::Inference {
            model: name,
            detail: error.to_string(),
        };
        let session = Session::builder(environment)
            .map_err(|error| FaceError::Inference {
                model: name,
                detail: error.to_string(),
            })?
            .with_intra_threads(intra_threads)
            .map_err(inference_error)?
            .with_inter_threads(1)
            .map_err(inference_error)?
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(inference_error)?
            .commit_from_memory(&bytes)
            .map_err(|error| FaceError::Inference {
                model: name,
                detail: error.to_string(),
            })?;

        Ok(ModelSession {
            name,
            session: Mutex::new(session),
        })
    }

    /// Runs the model on one NCHW input and returns its outputs flattened, in output order.
    pub fn run(&self, shape: [usize; 4], input: &[f32]) -> Result<Vec<Vec<f32>>, FaceError> {
        let error = |detail: String| FaceError::Inference {
            model: self.name,
            detail,
        };
        let tensor =
            TensorRef::from_array_view((shape, input)).map_err(|e| error(e.to_string()))?;

        // A panic in another thread while it held the lock leaves the session itself intact.
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let outputs = session
            .run(ort::inputs![tensor])
            .map_err(|e| error(e.to_string()))?;

        let mut flattened = Vec::with_capacity(outputs.len());
        for (_, value) in outputs.iter() {
            let (_, data) = value
                .try_extract_tensor::<f32>()
                .map_err(|e| error(e.to_string()))?;
            flattened.push(data.to_vec());
        }
        Ok(flattened)
    }
}
