//! `siperlu face`: runs the on-device face pipeline on photo files, for support staff checking
//! a rejected selfie and for calibrating the match threshold on a labelled photo set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use siperlu_core::face::{
    FaceEngine, FaceEngineConfig, FaceError, FacePolicy, FaceReason, FaceTemplate,
};
use siperlu_core::messages::Locale;

#[derive(Args)]
pub struct FaceArgs {
    #[command(subcommand)]
    command: FaceCommand,
    #[command(flatten)]
    engine: EngineArgs,
}

/// Options shared by every face subcommand.
#[derive(Args)]
struct EngineArgs {
    /// Path of the ONNX Runtime shared library [default: the one scripts/setup fetched].
    #[arg(long, global = true, value_name = "FILE")]
    onnxruntime: Option<PathBuf>,
    /// Folder holding the .onnx models named in models/manifest.toml [default: the setup cache].
    #[arg(long, global = true, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Threads each model may use inside one inference, 1 to 64.
    #[arg(long, global = true, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=64))]
    threads: u8,
    /// JSON file with FacePolicy values; fields left out keep their defaults.
    #[arg(long, global = true, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Match threshold (cosine, -1..1), overriding the policy's.
    #[arg(long, global = true)]
    threshold: Option<f32>,
    /// Language of the reason texts in plain output: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, global = true, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
}

#[derive(Subcommand)]
enum FaceCommand {
    /// Detect faces in a photo and run the quality gates and passive liveness.
    #[command(after_help = "JSON fields (--json):
  faces       array of {x1, y1, x2, y2, score}: boxes in photo pixels, detector score 0..1,
              highest score first
  primary_face index in faces of the face the gates judged (the largest), or null
  reasons     array of reason ids (face.no_face, face.multiple_faces, face.too_small,
              face.cut_off, face.too_dark, face.too_bright, face.blurry, face.head_turned,
              face.not_live); empty when enrollment and check-in would take the photo
  liveness    {score 0..1, score_milli 0..1000, threshold, live} of the primary face, or null
  quality     {face_side_px, brightness 0..255, sharpness, yaw_deg} of the primary face, or null
  width, height  photo size in pixels after EXIF orientation
  timings_ms  time per stage in milliseconds")]
    Inspect {
        /// JPEG or PNG photo.
        photo: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare two photos: A is the reference, B is checked against it like a selfie.
    #[command(after_help = "JSON fields (--json):
  score        cosine similarity -1..1 of A and B, or null when B has no single face
  score_milli  the score in thousandths, or null
  match        whether score >= threshold
  accepted     whether B also passed every quality gate and passive liveness
  threshold    the match threshold in force
  liveness     {score 0..1, score_milli, threshold, live} of B, or null
  reasons      array of reason ids for B (gate ids, face.no_match, face.not_live)
  timings_ms   time per stage for B in milliseconds
  model_ids    {detect, landmark, feature, liveness, eye}")]
    Compare {
        /// Reference photo; it must pass the quality gates.
        photo_a: PathBuf,
        /// Photo to check against the reference.
        photo_b: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Score every pair of labelled photos and report the error rates of the threshold.
    #[command(
        after_help = "The labels file is CSV with a header and rows `file,identity`; rows with an empty
identity are skipped. Every pair of photos with a single detected face is scored.

JSON fields (--json):
  photos                       labelled photos listed
  unreadable                   {file: error} for photos that are missing, cannot be read, or
                               are not a JPEG or PNG;
                               they are left out of every other field
  detection_rate               fraction of the readable photos with exactly one comparable
                               face (0..1)
  undetected                   files without a single comparable face
  gate_rejections              {file: [reason ids]} for photos that failed a quality gate
                               (still scored, so the matcher is measured on every face)
  genuine, impostor            {count, min, median, max} of same-person and different-person
                               cosine scores
  threshold                    the match threshold evaluated
  false_accept_rate            fraction of impostor pairs scoring >= threshold
  false_reject_rate            fraction of genuine pairs scoring < threshold
  eer_threshold                threshold where the two rates are closest (the middle of
                               that range when several thresholds tie)
  equal_error_rate             mean of the two rates there
  zero_false_accept_threshold  lowest threshold (in steps of 0.001) with no false accepts
  zero_false_accept_frr        false reject rate at that threshold
  enrolled_genuine             {count, min, median, max} of each photo against a template of
                               up to 5 other photos of the same person (people with 4+ photos)
  enrolled_impostor            the same for each photo against the templates of other people
  enrolled_false_accept_rate, enrolled_false_reject_rate
                               the two rates of the threshold on the enrolled-template scores
  liveness                     {count, min, median, max} of passive liveness scores
  sharpness, brightness, yaw_deg  {count, min, median, max} of the gate measurements"
    )]
    Eval {
        /// Folder holding the photos named in the labels file.
        dir: PathBuf,
        /// CSV file `file,identity`.
        #[arg(long)]
        labels: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: FaceArgs) -> anyhow::Result<()> {
    let policy = load_policy(&args.engine)?;
    let locale = args.engine.locale;
    let engine = load_engine(&args.engine)?;

    match args.command {
        FaceCommand::Inspect { photo, json } => inspect(&engine, &policy, &photo, json, locale),
        FaceCommand::Compare {
            photo_a,
            photo_b,
            json,
        } => compare(&engine, &policy, &photo_a, &photo_b, json, locale),
        FaceCommand::Eval { dir, labels, json } => evaluate(&engine, &policy, &dir, &labels, json),
    }
}

fn load_policy(args: &EngineArgs) -> anyhow::Result<FacePolicy> {
    let mut policy = match &args.policy {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the policy file {}", path.display()))?;
            let not_policy = || {
                format!(
                    "the policy file {} is not valid FacePolicy JSON",
                    path.display()
                )
            };
            let value: serde_json::Value = serde_json::from_str(&text).with_context(not_policy)?;
            // FacePolicy accepts unknown fields, so that a phone keeps working with a newer
            // server's configuration. In a file typed by hand an unknown field is a typo.
            let unknown = unknown_policy_fields(&value);
            if !unknown.is_empty() {
                bail!(
                    "the policy file {} has unknown fields {}; the fields are {}",
                    path.display(),
                    unknown.join(", "),
                    policy_fields().join(", ")
                );
            }
            serde_json::from_value(value).with_context(not_policy)?
        }
        None => FacePolicy::default(),
    };
    if let Some(threshold) = args.threshold {
        policy.match_threshold = threshold;
    }
    policy.validate()?;
    Ok(policy)
}

/// Names of FacePolicy's fields, as JSON spells them.
fn policy_fields() -> Vec<String> {
    match serde_json::to_value(FacePolicy::default()) {
        Ok(serde_json::Value::Object(fields)) => fields.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Top-level keys of `value` that are not FacePolicy fields.
fn unknown_policy_fields(value: &serde_json::Value) -> Vec<String> {
    let known = policy_fields();
    match value {
        serde_json::Value::Object(fields) => fields
            .keys()
            .filter(|key| !known.contains(key))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

fn load_engine(args: &EngineArgs) -> anyhow::Result<FaceEngine> {
    let mut config = FaceEngineConfig {
        intra_threads: usize::from(args.threads),
        ..FaceEngineConfig::default()
    };
    if let Some(library) = &args.onnxruntime {
        config.onnxruntime_library = library.clone();
    }
    if let Some(models) = &args.models {
        config.models_dir = models.clone();
    }

    // Core's texts speak of the engine configuration; here that is a command-line option.
    FaceEngine::new(config).map_err(|error| {
        let option = match &error {
            FaceError::Runtime { .. } => "; name the library with --onnxruntime FILE",
            FaceError::ModelMissing { .. } | FaceError::ModelMismatch { .. } => {
                "; name the models folder with --models DIR"
            }
            _ => "",
        };
        anyhow::anyhow!("{error}{option}")
    })
}

fn read_photo(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read the photo {}", path.display()))
}

fn reason_ids(reasons: &[FaceReason]) -> Vec<&'static str> {
    reasons.iter().map(|reason| reason.id()).collect()
}

fn print_reasons(reasons: &[FaceReason], locale: Locale) {
    for reason in reasons {
        let text = siperlu_core::messages::text(reason.id(), locale).unwrap_or(reason.id());
        println!("  {}: {text}", reason.id());
    }
}

fn inspect(
    engine: &FaceEngine,
    policy: &FacePolicy,
    photo: &Path,
    json: bool,
    locale: Locale,
) -> anyhow::Result<()> {
    let bytes = read_photo(photo)?;
    let analysis = engine
        .inspect(&bytes, policy)
        .with_context(|| format!("cannot inspect {}", photo.display()))?;

    let reasons = analysis.rejection_reasons();

    if json {
        let output = serde_json::json!({
            "faces": analysis.faces,
            "primary_face": analysis.primary_face,
            "reasons": reason_ids(&reasons),
            "liveness": analysis.liveness,
            "quality": analysis.quality,
            "width": analysis.width,
            "height": analysis.height,
            "timings_ms": analysis.timings,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }

    println!(
        "{}: {}x{} pixels, {} face(s)",
        photo.display(),
        analysis.width,
        analysis.height,
        analysis.faces.len()
    );
    for (index, face) in analysis.faces.iter().enumerate() {
        let marker = if analysis.primary_face == Some(index) {
            "*"
        } else {
            " "
        };
        println!(
            " {marker} box ({:.0}, {:.0})-({:.0}, {:.0}) score {:.3}",
            face.x1, face.y1, face.x2, face.y2, face.score
        );
    }
    if let Some(liveness) = analysis.liveness {
        println!(
            "liveness {:.3} ({})",
            liveness.score,
            if liveness.live { "live" } else { "not live" }
        );
    }
    if reasons.is_empty() {
        println!("usable: passes every quality gate and the liveness check");
    } else {
        println!("rejected:");
        print_reasons(&reasons, locale);
    }
    Ok(())
}

fn compare(
    engine: &FaceEngine,
    policy: &FacePolicy,
    photo_a: &Path,
    photo_b: &Path,
    json: bool,
    locale: Locale,
) -> anyhow::Result<()> {
    let reference = read_photo(photo_a)?;
    let probe = read_photo(photo_b)?;
    let verdict = engine
        .compare_photos(&reference, &probe, policy)
        .with_context(|| {
            format!(
                "cannot compare {} with {}",
                photo_a.display(),
                photo_b.display()
            )
        })?;

    if json {
        let output = serde_json::json!({
            "score": verdict.score,
            "score_milli": verdict.score_milli,
            "match": verdict.matched,
            "accepted": verdict.accepted,
            "threshold": verdict.threshold,
            "liveness": verdict.liveness,
            "reasons": reason_ids(&verdict.reasons),
            "timings_ms": verdict.timings,
            "model_ids": verdict.model_ids,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }

    match verdict.score {
        Some(score) => println!(
            "score {score:.3} (threshold {:.3}): {}",
            verdict.threshold,
            if verdict.matched {
                "same person"
            } else {
                "different people"
            }
        ),
        None => println!("no score: photo B has no single comparable face"),
    }
    if let Some(liveness) = verdict.liveness {
        println!(
            "liveness of B {:.3} ({})",
            liveness.score,
            if liveness.live { "live" } else { "not live" }
        );
    }
    println!("total {:.1} ms", verdict.timings.total_ms);
    if !verdict.reasons.is_empty() {
        println!("rejected:");
        print_reasons(&verdict.reasons, locale);
    }
    Ok(())
}

/// Count, minimum, median and maximum of a set of values.
#[derive(Debug, Serialize)]
struct Summary {
    count: usize,
    min: Option<f32>,
    median: Option<f32>,
    max: Option<f32>,
}

impl Summary {
    fn of(values: &[f32]) -> Summary {
        let mut sorted = values.to_vec();
        sorted.sort_by(f32::total_cmp);
        Summary {
            count: sorted.len(),
            min: sorted.first().copied(),
            median: (!sorted.is_empty()).then(|| sorted[sorted.len() / 2]),
            max: sorted.last().copied(),
        }
    }
}

/// The result of `face eval`; the field list is documented in the subcommand's help.
#[derive(Debug, Serialize)]
struct Evaluation {
    photos: usize,
    detection_rate: f32,
    unreadable: BTreeMap<String, String>,
    undetected: Vec<String>,
    gate_rejections: BTreeMap<String, Vec<&'static str>>,
    genuine: Summary,
    impostor: Summary,
    threshold: f32,
    false_accept_rate: f32,
    false_reject_rate: f32,
    eer_threshold: f32,
    equal_error_rate: f32,
    zero_false_accept_threshold: f32,
    zero_false_accept_frr: f32,
    enrolled_genuine: Summary,
    enrolled_impostor: Summary,
    enrolled_false_accept_rate: f32,
    enrolled_false_reject_rate: f32,
    liveness: Summary,
    sharpness: Summary,
    brightness: Summary,
    yaw_deg: Summary,
}

fn read_labels(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the labels file {}", path.display()))?;
    let mut rows = Vec::new();
    for (number, line) in text.lines().enumerate().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((file, identity)) = line.split_once(',') else {
            bail!(
                "{}:{}: expected `file,identity`, found {line:?}",
                path.display(),
                number + 1
            );
        };
        if !identity.trim().is_empty() {
            rows.push((file.trim().to_string(), identity.trim().to_string()));
        }
    }
    if rows.is_empty() {
        bail!(
            "{} has no labelled rows; expected a header and rows `file,identity`",
            path.display()
        );
    }
    Ok(rows)
}

fn evaluate(
    engine: &FaceEngine,
    policy: &FacePolicy,
    dir: &Path,
    labels: &Path,
    json: bool,
) -> anyhow::Result<()> {
    let rows = read_labels(labels)?;
    let mut samples: Vec<(String, FaceTemplate)> = Vec::new();
    let mut undetected = Vec::new();
    let mut unreadable = BTreeMap::new();
    let mut gate_rejections = BTreeMap::new();
    let mut liveness = Vec::new();
    let mut sharpness = Vec::new();
    let mut brightness = Vec::new();
    let mut yaw_deg = Vec::new();

    for (file, identity) in &rows {
        // A missing or unreadable file is listed like an undecodable one; one bad row should
        // not end an evaluation over hundreds of photos.
        let bytes = match std::fs::read(dir.join(file)) {
            Ok(bytes) => bytes,
            Err(error) => {
                unreadable.insert(file.clone(), format!("cannot read the file: {error}"));
                continue;
            }
        };
        let (analysis, template) = match engine.template_from_photo(&bytes, policy) {
            Ok(result) => result,
            Err(error) => {
                unreadable.insert(file.clone(), error.to_string());
                continue;
            }
        };
        if !analysis.reasons.is_empty() {
            gate_rejections.insert(file.clone(), reason_ids(&analysis.reasons));
        }
        if let Some(measures) = analysis.quality {
            sharpness.push(measures.sharpness);
            brightness.push(measures.brightness);
            yaw_deg.push(measures.yaw_deg);
        }
        if let Some(result) = analysis.liveness {
            liveness.push(result.score);
        }
        match template {
            Some(template) => samples.push((identity.clone(), template)),
            None => undetected.push(file.clone()),
        }
    }

    let mut genuine = Vec::new();
    let mut impostor = Vec::new();
    for (index, (identity, template)) in samples.iter().enumerate() {
        for (other_identity, other) in &samples[index + 1..] {
            let score = template.compare(other)?;
            if identity == other_identity {
                genuine.push(score);
            } else {
                impostor.push(score);
            }
        }
    }
    if genuine.is_empty() || impostor.is_empty() {
        // The first unreadable photo in the labels file's order: its error usually explains
        // the others too.
        let first_problem = rows
            .iter()
            .find_map(|(file, _)| unreadable.get(file).map(|error| (file, error)))
            .map(|(file, error)| format!("; the first, {file}: {error}"))
            .unwrap_or_default();
        bail!(
            "need at least one same-person and one different-person pair, found {} and {}. \
             {} of the {} labelled photos could be scored; {} could not be read from {}{first_problem}, \
             and {} showed no single comparable face. Check the folder and the `file,identity` \
             columns of {}",
            genuine.len(),
            impostor.len(),
            samples.len(),
            rows.len(),
            unreadable.len(),
            dir.display(),
            undetected.len(),
            labels.display()
        );
    }

    let threshold = policy.match_threshold;
    let (enrolled_genuine, enrolled_impostor) = score_enrolled_templates(&samples)?;
    let (enrolled_false_accept_rate, enrolled_false_reject_rate) = if enrolled_genuine.is_empty() {
        (0.0, 0.0)
    } else {
        error_rates(&enrolled_genuine, &enrolled_impostor, threshold)
    };
    let (false_accept_rate, false_reject_rate) = error_rates(&genuine, &impostor, threshold);
    let (eer_threshold, equal_error_rate) = equal_error_point(&genuine, &impostor);
    let max_impostor = impostor.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let zero_false_accept_threshold = ((max_impostor * 1000.0).floor() + 1.0) / 1000.0;
    let (_, zero_false_accept_frr) = error_rates(&genuine, &impostor, zero_false_accept_threshold);

    let evaluation = Evaluation {
        photos: rows.len(),
        detection_rate: samples.len() as f32 / (rows.len() - unreadable.len()).max(1) as f32,
        unreadable,
        undetected,
        gate_rejections,
        genuine: Summary::of(&genuine),
        impostor: Summary::of(&impostor),
        threshold,
        false_accept_rate,
        false_reject_rate,
        eer_threshold,
        equal_error_rate,
        zero_false_accept_threshold,
        zero_false_accept_frr,
        enrolled_genuine: Summary::of(&enrolled_genuine),
        enrolled_impostor: Summary::of(&enrolled_impostor),
        enrolled_false_accept_rate,
        enrolled_false_reject_rate,
        liveness: Summary::of(&liveness),
        sharpness: Summary::of(&sharpness),
        brightness: Summary::of(&brightness),
        yaw_deg: Summary::of(&yaw_deg),
    };

    if json {
        println!("{}", serde_json::to_string_pretty(&evaluation)?);
    } else {
        print_evaluation(&evaluation);
    }
    Ok(())
}

fn print_evaluation(evaluation: &Evaluation) {
    let show = |value: Option<f32>| value.map_or("-".to_string(), |value| format!("{value:.3}"));
    println!(
        "photos {}, unreadable {:?}, detection rate {:.3}, undetected {:?}",
        evaluation.photos,
        evaluation.unreadable.keys().collect::<Vec<_>>(),
        evaluation.detection_rate,
        evaluation.undetected
    );
    for (name, summary) in [
        ("genuine", &evaluation.genuine),
        ("impostor", &evaluation.impostor),
    ] {
        println!(
            "{name:9} pairs {:5}  min {}  median {}  max {}",
            summary.count,
            show(summary.min),
            show(summary.median),
            show(summary.max)
        );
    }
    println!(
        "threshold {:.3}: false accept rate {:.4}, false reject rate {:.4}",
        evaluation.threshold, evaluation.false_accept_rate, evaluation.false_reject_rate
    );
    println!(
        "equal error rate {:.4} at threshold {:.3}",
        evaluation.equal_error_rate, evaluation.eer_threshold
    );
    for (name, summary) in [
        ("enrolled genuine", &evaluation.enrolled_genuine),
        ("enrolled impostor", &evaluation.enrolled_impostor),
    ] {
        println!(
            "{name:17} {:5}  min {}  median {}  max {}",
            summary.count,
            show(summary.min),
            show(summary.median),
            show(summary.max)
        );
    }
    println!(
        "enrolled templates at threshold {:.3}: false accept rate {:.4}, false reject rate {:.4}",
        evaluation.threshold,
        evaluation.enrolled_false_accept_rate,
        evaluation.enrolled_false_reject_rate
    );
    println!(
        "zero false accepts from threshold {:.3} (false reject rate {:.4})",
        evaluation.zero_false_accept_threshold, evaluation.zero_false_accept_frr
    );
}

/// Scores photos against enrolled templates, as check-in does. Genuine: each photo of a person
/// with at least 4 photos against a template of up to 5 of that person's other photos.
/// Impostor: each photo against the template of every other person with at least 3 photos
/// (their first 5).
fn score_enrolled_templates(
    samples: &[(String, FaceTemplate)],
) -> anyhow::Result<(Vec<f32>, Vec<f32>)> {
    let mut by_identity: BTreeMap<&str, Vec<&FaceTemplate>> = BTreeMap::new();
    for (identity, template) in samples {
        by_identity.entry(identity).or_default().push(template);
    }
    let enroll = |photos: &[&FaceTemplate]| {
        let embeddings: Vec<Vec<f32>> = photos
            .iter()
            .take(5)
            .map(|photo| photo.embedding.clone())
            .collect();
        FaceTemplate::from_embeddings(&photos[0].model_id, &embeddings)
    };

    let mut genuine = Vec::new();
    let mut impostor = Vec::new();
    for (identity, photos) in &by_identity {
        if photos.len() >= 4 {
            for held_out in 0..photos.len() {
                let rest: Vec<&FaceTemplate> = photos
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| *index != held_out)
                    .map(|(_, photo)| *photo)
                    .collect();
                genuine.push(enroll(&rest)?.compare(photos[held_out])?);
            }
        }
        if photos.len() >= 3 {
            let template = enroll(photos)?;
            for (other_identity, other_photos) in &by_identity {
                if other_identity != identity {
                    for photo in other_photos {
                        impostor.push(template.compare(photo)?);
                    }
                }
            }
        }
    }
    Ok((genuine, impostor))
}

/// Returns (false accept rate, false reject rate) at `threshold`; a score equal to the
/// threshold is a match.
fn error_rates(genuine: &[f32], impostor: &[f32], threshold: f32) -> (f32, f32) {
    let false_accepts = impostor.iter().filter(|&&score| score >= threshold).count();
    let false_rejects = genuine.iter().filter(|&&score| score < threshold).count();
    (
        false_accepts as f32 / impostor.len() as f32,
        false_rejects as f32 / genuine.len() as f32,
    )
}

/// Sweeps thresholds -1..1 in steps of 0.001 and returns the middle of the range where the
/// false accept and false reject rates are closest, with their mean there.
fn equal_error_point(genuine: &[f32], impostor: &[f32]) -> (f32, f32) {
    let mut best_gap = f32::INFINITY;
    let mut best_range = (0i32, 0i32);
    let mut best_rate = 1.0f32;
    for step in -1000..=1000 {
        let (false_accept_rate, false_reject_rate) =
            error_rates(genuine, impostor, step as f32 / 1000.0);
        let gap = (false_accept_rate - false_reject_rate).abs();
        if gap < best_gap {
            best_gap = gap;
            best_range = (step, step);
            best_rate = (false_accept_rate + false_reject_rate) / 2.0;
        } else if gap == best_gap && best_range.1 == step - 1 {
            best_range.1 = step;
        }
    }
    let middle_step = (best_range.0 + best_range.1) / 2;
    (middle_step as f32 / 1000.0, best_rate)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn rates_count_ties_as_match() {
        assert_eq!(error_rates(&[0.5, 0.9], &[0.5, 0.1], 0.5), (0.5, 0.0));
    }

    #[test]
    fn eer_sits_between_separated_sets() {
        let (threshold, rate) = equal_error_point(&[0.7, 0.8], &[0.1, 0.2]);
        assert_eq!(
            threshold, 0.45,
            "middle of the separating range 0.201..=0.7"
        );
        assert_eq!(rate, 0.0);
    }

    #[test]
    fn summary_of_odd_count() {
        let summary = Summary::of(&[3.0, 1.0, 2.0]);
        assert_eq!(
            (summary.min, summary.median, summary.max),
            (Some(1.0), Some(2.0), Some(3.0))
        );
    }
}
