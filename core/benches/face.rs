//! Benchmark of face verification on a 1280x960 JPEG selfie, one intra-op thread, as on a
//! phone: the time of each stage and of the whole `verify` (decode included), next to the raw
//! inference time of the same models measured in the same run, and the peak resident memory.
//!
//! The selfie is encoded twice from the same pixels: 4:4:4 (the `image` crate's encoder) and
//! 4:2:0, the subsampling of most photos at hand (44 of the 61 readable deepface photos, and
//! the camera photo insightface/t1.jpg). The raw inference has three references, each timing
//! the four models verify runs with nothing around them:
//! - replayed: each model on exactly the input verify gave it (recorded in an untimed verify);
//! - pattern: a fixed pseudo-random pattern, on which fr_feature and fr_liveness run about a
//!   fifth faster than on a real face;
//! - noise: uniform noise, on which they run about as slowly as on a real face.
//!
//! Run with `cargo bench -p siperlu-core --bench face`; results go to docs/BENCHMARKS.md.

use std::io::Cursor;
use std::time::Instant;

use image::{ImageEncoder, RgbImage};
use siperlu_core::face::{
    DecodeLimits, FaceEngine, FaceEngineConfig, FacePolicy, FaceTemplate, RawInferenceTimes,
    StageTimings, decode_photo,
};

const ITERATIONS: usize = 60;
const WARM_UP: usize = 5;

fn photo(relative: &str) -> Vec<u8> {
    let path = siperlu_core::assets::test_photo(relative);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!("{} is missing ({error}); run scripts/setup", path.display())
    })
}

/// Makes a 1280x960 landscape selfie from a portrait photo: scaled to 1280 pixels wide, then
/// the top 960 rows kept, where the face is.
fn make_selfie() -> RgbImage {
    let portrait = image::load_from_memory(&photo("face_recognition/obama.jpg"))
        .expect("decode obama.jpg")
        .to_rgb8();
    let height = portrait.height() * 1280 / portrait.width();
    let scaled = image::imageops::resize(
        &portrait,
        1280,
        height,
        image::imageops::FilterType::Triangle,
    );
    image::imageops::crop_imm(&scaled, 0, 0, 1280, 960).to_image()
}

/// Quality 90, 4:4:4 chroma.
fn encode_444(selfie: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 90)
        .write_image(selfie.as_raw(), 1280, 960, image::ExtendedColorType::Rgb8)
        .expect("encode selfie");
    bytes
}

/// Quality 90, 4:2:0 chroma.
fn encode_420(selfie: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder
        .encode(selfie.as_raw(), 1280, 960, jpeg_encoder::ColorType::Rgb)
        .expect("encode selfie");
    bytes
}

fn median(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    values[values.len() / 2]
}

/// The measurements of one selfie's timed runs, one entry a run.
struct Run {
    /// The general decoder's time for the whole photo, for comparison with verify's decode
    /// stage, which reads coefficients and renders the detector's preview.
    general_decode_ms: Vec<f32>,
    stages: Vec<StageTimings>,
    verify_ms: Vec<f32>,
    replayed: Vec<RawInferenceTimes>,
    pattern: Vec<RawInferenceTimes>,
    noise: Vec<RawInferenceTimes>,
}

impl Run {
    fn stage(&self, pick: fn(&StageTimings) -> f32) -> f32 {
        median(&mut self.stages.iter().map(pick).collect::<Vec<_>>())
    }
}

fn raw(times: &[RawInferenceTimes], pick: impl Fn(&RawInferenceTimes) -> f32) -> f32 {
    median(&mut times.iter().map(pick).collect::<Vec<_>>())
}

/// Sums the times of the four models verify runs on a selfie without a burst.
fn verify_models(times: &RawInferenceTimes) -> f32 {
    times.detect_ms + times.landmark_ms + times.feature_ms + times.liveness_ms
}

/// Verifies `selfie` [`ITERATIONS`] times after [`WARM_UP`] runs. After each run it times
/// the models alone on the three references, and the general decoder on the selfie.
fn measure(engine: &FaceEngine, template: &FaceTemplate, selfie: &[u8]) -> Run {
    let policy = FacePolicy::default();
    let mut run = Run {
        general_decode_ms: Vec::new(),
        stages: Vec::new(),
        verify_ms: Vec::new(),
        replayed: Vec::new(),
        pattern: Vec::new(),
        noise: Vec::new(),
    };
    for iteration in 0..WARM_UP + ITERATIONS {
        let started = Instant::now();
        let verdict = engine.verify(template, &[selfie], &policy).expect("verify");
        let elapsed = started.elapsed().as_secs_f32() * 1000.0;
        assert!(
            verdict.accepted,
            "the benchmark selfie must be accepted: {:?}",
            verdict.reasons
        );
        let replayed = engine
            .measure_raw_inference_replaying(template, &[selfie], &policy)
            .expect("replayed inference");
        let pattern = engine.measure_raw_inference().expect("raw inference");
        let noise = engine
            .measure_raw_inference_uniform(iteration as u64 * 1_000_003)
            .expect("raw inference on uniform noise");
        let started = Instant::now();
        let decoded = decode_photo(selfie, &DecodeLimits::default()).expect("decode selfie");
        let general_decode_ms = started.elapsed().as_secs_f32() * 1000.0;
        drop(decoded);
        if iteration >= WARM_UP {
            run.general_decode_ms.push(general_decode_ms);
            run.stages.push(verdict.timings);
            run.verify_ms.push(elapsed);
            run.replayed.push(replayed);
            run.pattern.push(pattern);
            run.noise.push(noise);
        }
    }
    run
}

/// A table row: its label, its stage in verify, and its model when it runs one.
type Row = (
    &'static str,
    fn(&StageTimings) -> f32,
    Option<fn(&RawInferenceTimes) -> f32>,
);

fn print_run(name: &str, size_bytes: usize, run: &mut Run) {
    println!();
    println!(
        "{name} ({} KiB), 1 intra-op thread, median of {ITERATIONS} runs, ms",
        size_bytes / 1024
    );
    println!("stage          verify   replayed    pattern      noise");

    let rows: [Row; 8] = [
        ("decode", |t| t.decode_ms, None),
        ("detect", |t| t.detect_ms, Some(|t| t.detect_ms)),
        ("landmark", |t| t.landmark_ms, Some(|t| t.landmark_ms)),
        ("align", |t| t.align_ms, None),
        ("quality", |t| t.quality_ms, None),
        ("embed", |t| t.embed_ms, Some(|t| t.feature_ms)),
        ("liveness", |t| t.liveness_ms, Some(|t| t.liveness_ms)),
        ("match", |t| t.match_ms, None),
    ];
    for (label, stage, model) in rows {
        match model {
            Some(model) => println!(
                "{label:<12} {:8.2}   {:8.2}   {:8.2}   {:8.2}",
                run.stage(stage),
                raw(&run.replayed, model),
                raw(&run.pattern, model),
                raw(&run.noise, model)
            ),
            None => println!("{label:<12} {:8.2}", run.stage(stage)),
        }
    }

    let general_decode_ms = median(&mut run.general_decode_ms);
    println!(
        "general decoder, whole photo to RGB: {general_decode_ms:.2} ms; decode stage / that: {:.2}",
        run.stage(|t| t.decode_ms) / general_decode_ms
    );

    let verify_ms = median(&mut run.verify_ms);
    let replayed = raw(&run.replayed, verify_models);
    let pattern = raw(&run.pattern, verify_models);
    let noise = raw(&run.noise, verify_models);
    println!(
        "verify total {verify_ms:8.2}   {replayed:8.2}   {pattern:8.2}   {noise:8.2}  (model sums)"
    );
    println!(
        "ratio verify / model sum:          {:8.2}   {:8.2}   {:8.2}",
        verify_ms / replayed,
        verify_ms / pattern,
        verify_ms / noise
    );
}

fn peak_resident_mib() -> Option<f32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f32 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let started = Instant::now();
    let engine =
        FaceEngine::new(FaceEngineConfig::default()).expect("load face engine; run scripts/setup");
    let load_with_sha256_ms = started.elapsed().as_secs_f32() * 1000.0;
    let started = Instant::now();
    let size_only = FaceEngineConfig {
        verify_sha256: false,
        ..FaceEngineConfig::default()
    };
    drop(FaceEngine::new(size_only).expect("load face engine"));
    let load_size_only_ms = started.elapsed().as_secs_f32() * 1000.0;
    let policy = FacePolicy::default();
    let enrollment = [
        photo("face_recognition/obama.jpg"),
        photo("face_recognition/obama2.jpg"),
        photo("face_recognition/obama3.jpg"),
    ];
    let enrollment: Vec<&[u8]> = enrollment.iter().map(Vec::as_slice).collect();
    let template = engine.enroll(&enrollment, &policy).expect("enroll");
    let selfie = make_selfie();
    let selfie_444 = encode_444(&selfie);
    let selfie_420 = encode_420(&selfie);

    println!("face verify, 1280x960 JPEG selfie");
    let mut run_444 = measure(&engine, &template, &selfie_444);
    let mut run_420 = measure(&engine, &template, &selfie_420);
    print_run("4:4:4 selfie", selfie_444.len(), &mut run_444);
    print_run("4:2:0 selfie", selfie_420.len(), &mut run_420);

    let mut burst_ms: Vec<f32> = (0..ITERATIONS / 3)
        .map(|_| {
            let started = Instant::now();
            let frames = [selfie_420.as_slice(); 3];
            engine
                .verify(&template, &frames, &policy)
                .expect("verify with burst");
            started.elapsed().as_secs_f32() * 1000.0
        })
        .collect();
    println!();
    println!(
        "verify of the 4:2:0 selfie with a 2-frame burst (blink check): {:.2} ms, median of {}",
        median(&mut burst_ms),
        burst_ms.len()
    );
    println!(
        "engine load: {load_with_sha256_ms:.1} ms with SHA-256 checks (first load, runtime included), \
         {load_size_only_ms:.1} ms with size checks only"
    );
    match peak_resident_mib() {
        Some(mib) => println!("peak resident memory (VmHWM): {mib:.1} MiB"),
        None => println!("peak resident memory: /proc/self/status not readable"),
    }
}
