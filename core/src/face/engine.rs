//! The face engine: loads the five models once and runs the whole pipeline (decode, detect,
//! landmarks, align, embed, liveness, quality gates, match) for inspection, enrollment and
//! verification. One engine serves every thread of the app.

use std::path::PathBuf;
use std::time::Instant;

use super::align::{align_face, fit_similarity};
use super::decode::DecodeLimits;
use super::detect::{FaceBox, detect_faces};
use super::embed::{cosine, embed_face};
use super::landmarks::{Landmarks, locate_landmarks};
use super::liveness::{ActiveLiveness, find_blink, score_eyes_open, score_liveness};
use super::manifest::ModelManifest;
use super::photo::{Photo, load_photo};
use super::quality::{check_face, check_face_count};
use super::runtime::{ModelCheck, ModelSession, environment};
use super::template::FaceTemplate;
use super::verdict::{
    FaceAnalysis, FaceReason, FaceVerdict, ModelIds, StageTimings, cosine_to_milli,
};
use super::{FaceError, FacePolicy};

/// File name of the ONNX Runtime library inside [`crate::assets::onnxruntime_dir`] when the
/// configuration names none (the library fetched by scripts/setup).
pub const DEFAULT_ONNXRUNTIME_FILE: &str = "libonnxruntime.so.1.32.0";

/// Minimum number of photos in an enrollment.
pub const MIN_ENROLLMENT_PHOTOS: usize = 3;

/// Maximum number of photos in an enrollment.
pub const MAX_ENROLLMENT_PHOTOS: usize = 5;

/// Time of one inference of each model alone, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RawInferenceTimes {
    pub detect_ms: f32,
    pub landmark_ms: f32,
    pub feature_ms: f32,
    pub liveness_ms: f32,
    pub eye_ms: f32,
}

/// Engine configuration: the paths of the models and the runtime, and how to run them.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceEngineConfig {
    /// Path of `models/manifest.toml`.
    pub manifest_path: PathBuf,
    /// Folder holding the `.onnx` files named in the manifest.
    pub models_dir: PathBuf,
    /// Path of the ONNX Runtime shared library. A process loads only one; a second engine
    /// must name the same file.
    pub onnxruntime_library: PathBuf,
    /// Threads each model may use inside one inference (1 on a phone, to leave cores to the UI).
    pub intra_threads: usize,
    /// Check each model's SHA-256 at load time, not only its size.
    pub verify_sha256: bool,
    /// Limits on input photos.
    pub decode_limits: DecodeLimits,
}

impl Default for FaceEngineConfig {
    /// Returns the paths of the models and library that scripts/setup fetches into the
    /// developer cache.
    fn default() -> FaceEngineConfig {
        FaceEngineConfig {
            manifest_path: crate::assets::model_manifest_path(),
            models_dir: crate::assets::models_dir(),
            onnxruntime_library: crate::assets::onnxruntime_dir().join(DEFAULT_ONNXRUNTIME_FILE),
            intra_threads: 1,
            verify_sha256: true,
            decode_limits: DecodeLimits::default(),
        }
    }
}

/// The loaded models and their pre-processing. `Send + Sync`; each model runs one inference
/// at a time.
pub struct FaceEngine {
    manifest: ModelManifest,
    model_ids: ModelIds,
    decode_limits: DecodeLimits,
    detect: ModelSession,
    landmark: ModelSession,
    feature: ModelSession,
    liveness: ModelSession,
    eye: ModelSession,
}

/// One photo run through the pipeline, with what later steps of the same call reuse.
struct PhotoRun {
    analysis: FaceAnalysis,
    photo: Photo,
    landmarks: Option<Landmarks>,
    embedding: Option<Vec<f32>>,
}

/// Optional stages of one pipeline run.
#[derive(Clone, Copy)]
struct Stages {
    embed: bool,
    liveness: bool,
}

impl FaceEngine {
    /// Loads ONNX Runtime and the five models, checking each file against the manifest.
    pub fn new(config: FaceEngineConfig) -> Result<FaceEngine, FaceError> {
        if config.intra_threads == 0 || config.intra_threads > 64 {
            return Err(FaceError::InvalidConfig {
                detail: format!(
                    "intra_threads must be 1..=64, found {}",
                    config.intra_threads
                ),
            });
        }
        let manifest = ModelManifest::load(&config.manifest_path)?;
        let environment = environment(&config.onnxruntime_library)?;
        let check = if config.verify_sha256 {
            ModelCheck::Sha256
        } else {
            ModelCheck::Size
        };

        let models = &manifest.models;
        let load = |name, entry| {
            ModelSession::load(
                name,
                &environment,
                &config.models_dir,
                entry,
                check,
                config.intra_threads,
            )
        };
        let engine = FaceEngine {
            detect: load("detect", &models.detect)?,
            landmark: load("landmark", &models.landmark)?,
            feature: load("feature", &models.feature)?,
            liveness: load("liveness", &models.liveness)?,
            eye: load("eye", &models.eye)?,
            model_ids: ModelIds {
                detect: models.detect.model_id.clone(),
                landmark: models.landmark.model_id.clone(),
                feature: models.feature.model_id.clone(),
                liveness: models.liveness.model_id.clone(),
                eye: models.eye.model_id.clone(),
            },
            decode_limits: config.decode_limits,
            manifest,
        };
        tracing::info!(
            feature_model = %engine.model_ids.feature,
            intra_threads = config.intra_threads,
            "face engine loaded"
        );
        Ok(engine)
    }

    /// Returns the model ids the engine runs.
    pub fn model_ids(&self) -> &ModelIds {
        &self.model_ids
    }

    /// Detects the faces in one photo and runs the quality gates and passive liveness on the
    /// largest. A photo that decodes but fails a gate is `Ok` with reasons.
    pub fn inspect(
        &self,
        image_bytes: &[u8],
        policy: &FacePolicy,
    ) -> Result<FaceAnalysis, FaceError> {
        policy.validate()?;
        let run = self.run_photo(
            image_bytes,
            policy,
            Stages {
                embed: false,
                liveness: true,
            },
        )?;
        Ok(run.analysis)
    }

    /// Analyses one photo and, when it shows a single face, returns a one-photo template of
    /// it. Evaluation and photo-to-photo comparison use this, while check-in uses
    /// [`Self::verify`].
    pub fn template_from_photo(
        &self,
        image_bytes: &[u8],
        policy: &FacePolicy,
    ) -> Result<(FaceAnalysis, Option<FaceTemplate>), FaceError> {
        policy.validate()?;
        let run = self.run_photo(
            image_bytes,
            policy,
            Stages {
                embed: true,
                liveness: true,
            },
        )?;
        let template = match &run.embedding {
            Some(embedding) => Some(FaceTemplate::from_embeddings(
                &self.model_ids.feature,
                std::slice::from_ref(embedding),
            )?),
            None => None,
        };
        Ok((run.analysis, template))
    }

    /// Builds a template from 3 to 5 distinct photos of one person. Every photo must pass the
    /// quality gates and match the mean of the others at the policy's match threshold.
    /// Otherwise the error names the photo (0-based `index`; its text counts from 1) whose mean
    /// similarity to the others is lowest. The same file given twice is refused.
    pub fn enroll(&self, photos: &[&[u8]], policy: &FacePolicy) -> Result<FaceTemplate, FaceError> {
        policy.validate()?;
        if !(MIN_ENROLLMENT_PHOTOS..=MAX_ENROLLMENT_PHOTOS).contains(&photos.len()) {
            return Err(FaceError::EnrollmentPhotoCount {
                count: photos.len(),
                min: MIN_ENROLLMENT_PHOTOS,
                max: MAX_ENROLLMENT_PHOTOS,
            });
        }

        // NOTE: only identical bytes count as a duplicate, so the same image re-encoded passes
        // (32bit.png is obama2.jpg as PNG). Comparing embeddings would catch it, but the
        // workspace tests in tests/tests still enroll that pair.
        for second in 1..photos.len() {
            if let Some(first) = (0..second).find(|&first| photos[first] == photos[second]) {
                return Err(FaceError::EnrollmentDuplicate { first, second });
            }
        }

        // Each photo passes the same gates and passive liveness check as a check-in selfie: a
        // template made from a printed or on-screen face would let that face check in.
        let mut embeddings = Vec::with_capacity(photos.len());
        for (index, photo) in photos.iter().enumerate() {
            let stages = Stages {
                embed: true,
                liveness: true,
            };
            let run = self
                .run_photo(photo, policy, stages)
                .map_err(|error| match error {
                    error if error.is_unreadable_photo() => FaceError::EnrollmentPhotoUnreadable {
                        index,
                        error: Box::new(error),
                    },
                    other => other,
                })?;
            let reasons = run.analysis.rejection_reasons();
            match run.embedding {
                Some(embedding) if reasons.is_empty() => embeddings.push(embedding),
                _ => return Err(FaceError::EnrollmentPhotoRejected { index, reasons }),
            }
        }

        for index in 0..embeddings.len() {
            let others: Vec<Vec<f32>> = embeddings
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .map(|(_, embedding)| embedding.clone())
                .collect();
            let rest = FaceTemplate::from_embeddings(&self.model_ids.feature, &others)?;
            let score = cosine(&rest.embedding, &embeddings[index]);
            if score < policy.match_threshold {
                // One stranger lowers every photo's score against the mean of the rest, so the
                // first photo below the threshold is not necessarily the odd one. Blame the
                // photo least like the others instead.
                let outlier = least_similar(&embeddings);
                let others: Vec<Vec<f32>> = embeddings
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != outlier)
                    .map(|(_, embedding)| embedding.clone())
                    .collect();
                let rest = FaceTemplate::from_embeddings(&self.model_ids.feature, &others)?;
                return Err(FaceError::EnrollmentInconsistent {
                    index: outlier,
                    score: cosine(&rest.embedding, &embeddings[outlier]),
                    threshold: policy.match_threshold,
                });
            }
        }

        let template = FaceTemplate::from_embeddings(&self.model_ids.feature, &embeddings)?;
        tracing::info!(template_id = %template.template_id, photos = photos.len(), "face template enrolled");
        Ok(template)
    }

    /// Verifies a check-in. `frames[0]` is the selfie, matched against `template` and checked
    /// for passive liveness. Any further frames are a short burst in which a blink must be
    /// seen. Bad input bytes are an error, while a rejected attempt is `Ok` with
    /// `accepted == false`.
    pub fn verify(
        &self,
        template: &FaceTemplate,
        frames: &[&[u8]],
        policy: &FacePolicy,
    ) -> Result<FaceVerdict, FaceError> {
        let started = Instant::now();
        policy.validate()?;
        template.validate()?;
        let Some((selfie_bytes, burst)) = frames.split_first() else {
            return Err(FaceError::NoFrames);
        };

        let selfie = self.run_photo(
            selfie_bytes,
            policy,
            Stages {
                embed: true,
                liveness: true,
            },
        )?;
        let mut timings = selfie.analysis.timings;
        let mut reasons = selfie.analysis.reasons.clone();

        let match_started = Instant::now();
        let mut score = None;
        if let Some(embedding) = &selfie.embedding {
            match template.compare_embedding(&self.model_ids.feature, embedding) {
                Ok(value) => score = Some(value),
                Err(FaceError::TemplateModelMismatch { .. }) => {
                    reasons.push(FaceReason::TemplateModelMismatch)
                }
                Err(other) => return Err(other),
            }
        }
        let matched = score.is_some_and(|value| value >= policy.match_threshold);
        if score.is_some() && !matched {
            reasons.push(FaceReason::NoMatch);
        }
        timings.match_ms = elapsed_ms(match_started);

        let liveness = selfie.analysis.liveness;
        if liveness.is_some_and(|result| !result.live) {
            reasons.push(FaceReason::NotLive);
        }

        let blink_started = Instant::now();
        let active_liveness = if burst.is_empty() {
            ActiveLiveness::NotRequested
        } else {
            let mut open_scores = Vec::with_capacity(frames.len());
            open_scores.push(match &selfie.landmarks {
                Some(landmarks) => Some(score_eyes_open(
                    &self.eye,
                    &self.manifest.models.eye.preprocess,
                    &selfie.photo,
                    landmarks,
                )?),
                None => None,
            });
            let selfie_face = selfie.analysis.primary_face.map(|index| {
                relative_box(&selfie.analysis.faces[index], selfie.photo.dimensions())
            });
            for frame in burst {
                open_scores.push(self.score_frame_eyes(frame, selfie_face.as_ref(), policy)?);
            }
            find_blink(&open_scores, policy.eye_open_threshold)
        };
        if active_liveness == ActiveLiveness::NoBlink {
            reasons.push(FaceReason::NoBlink);
        }
        if active_liveness == ActiveLiveness::NotRequested && policy.require_blink {
            reasons.push(FaceReason::BlinkRequired);
        }
        timings.blink_ms = elapsed_ms(blink_started);
        timings.total_ms = elapsed_ms(started);

        let accepted = matched && reasons.is_empty();
        tracing::debug!(
            template_id = %template.template_id,
            accepted,
            score_milli = score.map(cosine_to_milli),
            reasons = ?reasons.iter().map(|reason| reason.id()).collect::<Vec<_>>(),
            "face verified"
        );
        Ok(FaceVerdict {
            accepted,
            matched,
            score,
            score_milli: score.map(cosine_to_milli),
            threshold: policy.match_threshold,
            liveness,
            active_liveness,
            reasons,
            selfie: selfie.analysis,
            timings,
            template_id: template.template_id.clone(),
            model_ids: self.model_ids.clone(),
        })
    }

    /// Compares two photos. The first must pass the quality gates and becomes a one-photo
    /// template, and the second is verified against it as a selfie without a burst.
    pub fn compare_photos(
        &self,
        reference: &[u8],
        probe: &[u8],
        policy: &FacePolicy,
    ) -> Result<FaceVerdict, FaceError> {
        let (analysis, template) = self.template_from_photo(reference, policy)?;
        match template {
            Some(template) if analysis.usable() => self.verify(&template, &[probe], policy),
            _ => Err(FaceError::ReferenceRejected {
                reasons: analysis.reasons,
            }),
        }
    }

    /// Returns the detector's input width and height.
    fn detector_input(&self) -> (u32, u32) {
        let preprocess = &self.manifest.models.detect.preprocess;
        (preprocess.width, preprocess.height)
    }

    /// Runs the pipeline on one photo, including the optional stages that `stages` selects.
    fn run_photo(
        &self,
        bytes: &[u8],
        policy: &FacePolicy,
        stages: Stages,
    ) -> Result<PhotoRun, FaceError> {
        let models = &self.manifest.models;
        let started = Instant::now();
        let mut timings = StageTimings::default();

        let step = Instant::now();
        let photo = load_photo(bytes, &self.decode_limits, self.detector_input())?;
        timings.decode_ms = elapsed_ms(step);

        let step = Instant::now();
        let faces = detect_faces(
            &self.detect,
            &models.detect.preprocess,
            &photo,
            policy.min_detection_score,
            policy.nms_iou,
        )?;
        timings.detect_ms = elapsed_ms(step);

        let (primary_face, mut reasons) = check_face_count(&faces, policy);
        let mut analysis = FaceAnalysis {
            width: photo.dimensions().0,
            height: photo.dimensions().1,
            faces,
            primary_face,
            reasons: Vec::new(),
            quality: None,
            liveness: None,
            timings,
        };
        let Some(primary) = primary_face else {
            analysis.reasons = reasons;
            analysis.timings.total_ms = elapsed_ms(started);
            return Ok(PhotoRun {
                analysis,
                photo,
                landmarks: None,
                embedding: None,
            });
        };
        let face = analysis.faces[primary];
        let single_face = reasons.is_empty();

        let step = Instant::now();
        let (landmarks, face_patch) =
            locate_landmarks(&self.landmark, &models.landmark.preprocess, &photo, &face)?;
        analysis.timings.landmark_ms = elapsed_ms(step);

        let step = Instant::now();
        let feature_input = &models.feature.preprocess;
        let aligned = fit_similarity(
            &landmarks.five_points(),
            feature_input.width,
            feature_input.height,
        )
        .map(|similarity| {
            align_face(
                &photo,
                &similarity,
                feature_input.width,
                feature_input.height,
            )
        });
        analysis.timings.align_ms = elapsed_ms(step);

        let step = Instant::now();
        let aligned_grey = aligned
            .as_ref()
            .map(|patch| patch.to_grey())
            .unwrap_or_default();
        let (measures, face_reasons) = check_face(
            &face,
            &landmarks,
            &face_patch,
            &aligned_grey,
            feature_input.width,
            photo.dimensions(),
            policy,
        );
        reasons.extend(face_reasons);
        analysis.quality = Some(measures);
        analysis.timings.quality_ms = elapsed_ms(step);

        // A photo with several comparable faces is never scored: which face to score is unknown.
        let mut embedding = None;
        if stages.embed
            && single_face
            && let Some(aligned) = &aligned
        {
            let step = Instant::now();
            embedding = Some(embed_face(&self.feature, feature_input, aligned)?);
            analysis.timings.embed_ms = elapsed_ms(step);
        }

        if stages.liveness && single_face {
            let step = Instant::now();
            analysis.liveness = Some(score_liveness(
                &self.liveness,
                &models.liveness.preprocess,
                &photo,
                &face,
                policy.liveness_threshold,
            )?);
            analysis.timings.liveness_ms = elapsed_ms(step);
        }

        analysis.reasons = reasons;
        analysis.timings.total_ms = elapsed_ms(started);
        Ok(PhotoRun {
            analysis,
            photo,
            landmarks: Some(landmarks),
            embedding,
        })
    }

    /// Runs each model once on a pseudo-random tensor of its input shape and returns the time of each
    /// inference alone, without any pre- or post-processing. Benchmarks compare the pipeline
    /// with these.
    ///
    /// NOTE: fr_feature and fr_liveness take about a fifth less time on this input pattern
    /// than on a real face or on uniform noise, which
    /// [`Self::measure_raw_inference_uniform`] uses.
    pub fn measure_raw_inference(&self) -> Result<RawInferenceTimes, FaceError> {
        // Mid-range pseudo-random values: an all-zero input runs measurably faster than a
        // real photo would.
        self.time_raw_models(|index| ((index.wrapping_mul(2_654_435_761) >> 7) % 256) as f32)
    }

    /// Runs each model once, as [`Self::measure_raw_inference`] does, on pixel values drawn
    /// uniformly from 0..=255 by the SplitMix64 generator seeded with `seed`.
    pub fn measure_raw_inference_uniform(&self, seed: u64) -> Result<RawInferenceTimes, FaceError> {
        self.time_raw_models(|index| (splitmix64(seed.wrapping_add(index as u64)) >> 56) as f32)
    }

    /// Runs `verify` once untimed while keeping each model's input, then times each model
    /// alone on exactly that input. Of the three references for the pipeline's overhead
    /// this is the closest: the same models on the same tensors, with nothing around them.
    /// `eye_ms` is 0 unless `frames` has a burst. Calls on other threads meanwhile may replace
    /// the recorded inputs, so benchmarks call this with the engine to themselves.
    pub fn measure_raw_inference_replaying(
        &self,
        template: &FaceTemplate,
        frames: &[&[u8]],
        policy: &FacePolicy,
    ) -> Result<RawInferenceTimes, FaceError> {
        let sessions = [
            &self.detect,
            &self.landmark,
            &self.feature,
            &self.liveness,
            &self.eye,
        ];
        sessions
            .iter()
            .for_each(|session| session.record_inputs(true));
        let verified = self.verify(template, frames, policy);
        sessions
            .iter()
            .for_each(|session| session.record_inputs(false));
        verified?;

        let time = |session: &ModelSession| -> Result<f32, FaceError> {
            Ok(session.time_recorded_input()?.unwrap_or(0.0))
        };
        Ok(RawInferenceTimes {
            detect_ms: time(&self.detect)?,
            landmark_ms: time(&self.landmark)?,
            feature_ms: time(&self.feature)?,
            liveness_ms: time(&self.liveness)?,
            eye_ms: time(&self.eye)?,
        })
    }

    /// Times one inference of each model on an input whose element `index` is the pixel value
    /// `pixel_at(index)` (0..=255) after the model's normalisation.
    fn time_raw_models(
        &self,
        pixel_at: impl Fn(usize) -> f32,
    ) -> Result<RawInferenceTimes, FaceError> {
        let models = &self.manifest.models;
        let time_model = |session: &ModelSession, preprocess: &super::manifest::Preprocess| {
            let shape = [
                1,
                preprocess.channels.channel_count(),
                preprocess.height as usize,
                preprocess.width as usize,
            ];
            let input: Vec<f32> = (0..shape.iter().product::<usize>())
                .map(&pixel_at)
                .map(|value| (value - preprocess.mean[0]) * preprocess.scale[0])
                .collect();
            let started = Instant::now();
            session.run(shape, &input)?;
            Ok::<f32, FaceError>(elapsed_ms(started))
        };
        Ok(RawInferenceTimes {
            detect_ms: time_model(&self.detect, &models.detect.preprocess)?,
            landmark_ms: time_model(&self.landmark, &models.landmark.preprocess)?,
            feature_ms: time_model(&self.feature, &models.feature.preprocess)?,
            liveness_ms: time_model(&self.liveness, &models.liveness.preprocess)?,
            eye_ms: time_model(&self.eye, &models.eye.preprocess)?,
        })
    }

    /// Returns the eye-open probability of the largest face in a burst frame. It is `None`
    /// when the frame shows no face, or when that face is not where the selfie's face was
    /// (less than [`MIN_BURST_OVERLAP`] intersection over union, in fractions of the frame).
    fn score_frame_eyes(
        &self,
        bytes: &[u8],
        selfie_face: Option<&FaceBox>,
        policy: &FacePolicy,
    ) -> Result<Option<f32>, FaceError> {
        let models = &self.manifest.models;
        let photo = load_photo(bytes, &self.decode_limits, self.detector_input())?;
        let faces = detect_faces(
            &self.detect,
            &models.detect.preprocess,
            &photo,
            policy.min_detection_score,
            policy.nms_iou,
        )?;
        let (primary, _) = check_face_count(&faces, policy);
        let Some(primary) = primary else {
            return Ok(None);
        };
        let frame_face = relative_box(&faces[primary], photo.dimensions());
        if selfie_face.is_none_or(|selfie_face| selfie_face.iou(&frame_face) < MIN_BURST_OVERLAP) {
            return Ok(None);
        }

        // NOTE: only the selfie is matched against the template. A burst face counts as the
        // same person when it stays where the selfie's face was, without its own embedding.
        let (landmarks, _) = locate_landmarks(
            &self.landmark,
            &models.landmark.preprocess,
            &photo,
            &faces[primary],
        )?;
        Ok(Some(score_eyes_open(
            &self.eye,
            &models.eye.preprocess,
            &photo,
            &landmarks,
        )?))
    }
}

/// Minimum intersection over union between the selfie's face box and a burst frame's face
/// box, both in fractions of their frame, for the burst face to count as the same face.
pub const MIN_BURST_OVERLAP: f32 = 0.3;

/// Returns `face` with its corners in fractions (0..1) of a `width` x `height` frame.
/// Index of the embedding whose mean cosine to the other embeddings is lowest.
fn least_similar(embeddings: &[Vec<f32>]) -> usize {
    let mean_similarity = |index: usize| -> f32 {
        let total: f32 = embeddings
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(_, other)| cosine(&embeddings[index], other))
            .sum();
        total / (embeddings.len().saturating_sub(1).max(1)) as f32
    };
    (0..embeddings.len())
        .min_by(|&a, &b| mean_similarity(a).total_cmp(&mean_similarity(b)))
        .unwrap_or(0)
}

fn relative_box(face: &FaceBox, (width, height): (u32, u32)) -> FaceBox {
    FaceBox {
        x1: face.x1 / width as f32,
        y1: face.y1 / height as f32,
        x2: face.x2 / width as f32,
        y2: face.y2 / height as f32,
        score: face.score,
    }
}

/// Returns the SplitMix64 output for `state`: 64 well-mixed bits for consecutive states.
fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn elapsed_ms(since: Instant) -> f32 {
    since.elapsed().as_secs_f32() * 1000.0
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FaceEngine>();
    }

    #[test]
    fn splitmix_bytes_look_uniform() {
        let mut counts = [0u32; 4];
        for state in 0..4096u64 {
            counts[(splitmix64(state) >> 62) as usize] += 1;
        }
        for (quarter, &count) in counts.iter().enumerate() {
            assert!(
                (900..=1150).contains(&count),
                "quarter {quarter} of the byte range got {count} of 4096 values"
            );
        }
    }

    #[test]
    fn zero_threads_is_rejected() {
        let config = FaceEngineConfig {
            intra_threads: 0,
            ..FaceEngineConfig::default()
        };
        let error = FaceEngine::new(config).err().expect("0 threads");
        assert!(matches!(error, FaceError::InvalidConfig { .. }), "{error}");
    }
}
