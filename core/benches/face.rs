//! Benchmark of face verification on a 1280x960 JPEG selfie, one intra-op thread, as on a
//! phone: the time of each stage and of the whole `verify` (decode included), next to the raw
//! inference time of the same models measured in the same run, and the peak resident memory.
//! The raw inference runs on a fixed pseudo-random pattern and, as a second reference, on
//! uniform noise, on which fr_feature and fr_liveness run about as slowly as on a real face.
//!
//! Run with `cargo bench -p siperlu-core --bench face`; results go to docs/BENCHMARKS.md.

use std::io::Cursor;
use std::time::Instant;

use image::ImageEncoder;
use siperlu_core::face::{
    FaceEngine, FaceEngineConfig, FacePolicy, RawInferenceTimes, StageTimings,
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
fn make_selfie_jpeg() -> Vec<u8> {
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
    let selfie = image::imageops::crop_imm(&scaled, 0, 0, 1280, 960).to_image();

    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 90)
        .write_image(selfie.as_raw(), 1280, 960, image::ExtendedColorType::Rgb8)
        .expect("encode selfie");
    bytes
}

fn median(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    values[values.len() / 2]
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
    let selfie = make_selfie_jpeg();

    let mut stages: Vec<StageTimings> = Vec::new();
    let mut wall_ms: Vec<f32> = Vec::new();
    let mut raw: Vec<RawInferenceTimes> = Vec::new();
    let mut raw_uniform: Vec<RawInferenceTimes> = Vec::new();
    for iteration in 0..WARM_UP + ITERATIONS {
        let started = Instant::now();
        let verdict = engine
            .verify(&template, &[&selfie], &policy)
            .expect("verify");
        let elapsed = started.elapsed().as_secs_f32() * 1000.0;
        assert!(
            verdict.accepted,
            "the benchmark selfie must be accepted: {:?}",
            verdict.reasons
        );
        let raw_times = engine.measure_raw_inference().expect("raw inference");
        let uniform_times = engine
            .measure_raw_inference_uniform(iteration as u64 * 1_000_003)
            .expect("raw inference on uniform noise");
        if iteration >= WARM_UP {
            stages.push(verdict.timings);
            wall_ms.push(elapsed);
            raw.push(raw_times);
            raw_uniform.push(uniform_times);
        }
    }

    let mut burst_ms: Vec<f32> = (0..ITERATIONS / 3)
        .map(|_| {
            let started = Instant::now();
            engine
                .verify(&template, &[&selfie, &selfie, &selfie], &policy)
                .expect("verify with burst");
            started.elapsed().as_secs_f32() * 1000.0
        })
        .collect();

    let stage =
        |pick: fn(&StageTimings) -> f32| median(&mut stages.iter().map(pick).collect::<Vec<_>>());
    let raw_stat =
        |pick: fn(&RawInferenceTimes) -> f32| median(&mut raw.iter().map(pick).collect::<Vec<_>>());
    let uniform_stat = |pick: fn(&RawInferenceTimes) -> f32| {
        median(&mut raw_uniform.iter().map(pick).collect::<Vec<_>>())
    };
    let verify_models =
        |t: &RawInferenceTimes| t.detect_ms + t.landmark_ms + t.feature_ms + t.liveness_ms;
    let raw_detect = raw_stat(|t| t.detect_ms);
    let raw_landmark = raw_stat(|t| t.landmark_ms);
    let raw_feature = raw_stat(|t| t.feature_ms);
    let raw_liveness = raw_stat(|t| t.liveness_ms);
    let raw_eye = raw_stat(|t| t.eye_ms);
    let raw_sum = median(&mut raw.iter().map(verify_models).collect::<Vec<_>>());
    let uniform_sum = median(&mut raw_uniform.iter().map(verify_models).collect::<Vec<_>>());
    let verify_ms = median(&mut wall_ms);

    println!("face verify, 1280x960 JPEG selfie, 1 intra-op thread, median of {ITERATIONS} runs");
    println!("stage        pipeline ms   raw inference ms   raw on uniform noise ms");
    println!("decode       {:10.2}", stage(|t| t.decode_ms));
    println!(
        "detect       {:10.2}   {raw_detect:10.2}         {:10.2}",
        stage(|t| t.detect_ms),
        uniform_stat(|t| t.detect_ms)
    );
    println!(
        "landmark     {:10.2}   {raw_landmark:10.2}         {:10.2}",
        stage(|t| t.landmark_ms),
        uniform_stat(|t| t.landmark_ms)
    );
    println!("align        {:10.2}", stage(|t| t.align_ms));
    println!("quality      {:10.2}", stage(|t| t.quality_ms));
    println!(
        "embed        {:10.2}   {raw_feature:10.2}         {:10.2}",
        stage(|t| t.embed_ms),
        uniform_stat(|t| t.feature_ms)
    );
    println!(
        "liveness     {:10.2}   {raw_liveness:10.2}         {:10.2}",
        stage(|t| t.liveness_ms),
        uniform_stat(|t| t.liveness_ms)
    );
    println!("match        {:10.3}", stage(|t| t.match_ms));
    println!("eye (burst)                {raw_eye:10.3}");
    println!(
        "verify total {verify_ms:10.2}   {raw_sum:10.2}         {uniform_sum:10.2} (sums: detect+landmark+feature+liveness)"
    );
    println!("ratio verify / raw sum: {:.2}", verify_ms / raw_sum);
    println!(
        "ratio verify / raw sum on uniform noise: {:.2}",
        verify_ms / uniform_sum
    );
    println!(
        "verify without decode: {:.2} ms, ratio {:.2}",
        verify_ms - stage(|t| t.decode_ms),
        (verify_ms - stage(|t| t.decode_ms)) / raw_sum
    );
    println!(
        "verify with a 2-frame burst after the selfie (blink check): {:.2} ms, median of {}",
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
