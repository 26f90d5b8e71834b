//! ONNX Runtime plumbing: loads the shared library once per process from an explicit path,
//! checks each model file against the manifest, and wraps each session so that several threads
//! can share it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Instant;

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
    /// While set, each run keeps a copy of its input in `recorded`, so that a benchmark can
    /// time the model alone on exactly what the pipeline gave it.
    recording: AtomicBool,
    recorded: Mutex<Option<([usize; 4], Vec<f32>)>>,
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
            recording: AtomicBool::new(false),
            recorded: Mutex::new(None),
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
        if self.recording.load(Ordering::Relaxed) {
            *lock(&self.recorded) = Some((shape, input.to_vec()));
        }

        let mut session = lock(&self.session);
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

    /// Starts or stops keeping a copy of each input. Starting drops the copy kept before.
    pub fn record_inputs(&self, on: bool) {
        if on {
            *lock(&self.recorded) = None;
        }
        self.recording.store(on, Ordering::Relaxed);
    }

    /// Runs the model once on the last recorded input and returns how long that took in
    /// milliseconds, or `None` when nothing was recorded.
    pub fn time_recorded_input(&self) -> Result<Option<f32>, FaceError> {
        let Some((shape, input)) = lock(&self.recorded).clone() else {
            return Ok(None);
        };
        let started = Instant::now();
        self.run(shape, &input)?;
        Ok(Some(started.elapsed().as_secs_f32() * 1000.0))
    }
}

/// Locks `mutex`. A panic in another thread while it held the lock leaves the session or
/// the recorded input intact, so the poison is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
