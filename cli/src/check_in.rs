//! `siperlu device enroll` and `siperlu device check-in`: the phone's face enrollment and
//! check-in screens, run on a simulated phone's data folder through the core device API.
//!
//! Photo files stand in for the camera frames and `--lat/--lon/--accuracy` for the GPS fix.
//! The clocks are this machine's (wall clock, `/proc/uptime`, kernel boot id).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use siperlu_core::device::{CheckInOutcome, Device, DeviceError, STORE_FILE, SystemClock};
use siperlu_core::face::{FaceEngine, FaceEngineConfig};
use siperlu_core::location::Fix;
use siperlu_core::messages::{self, Locale};
use siperlu_core::record::AttendanceKind;

use crate::device::open_vault;

#[derive(Args)]
pub struct EnrollArgs {
    /// Data folder of the simulated phone (after `siperlu device init`).
    #[arg(long)]
    data_dir: PathBuf,
    /// NIP of the ASN (18 digits). Required at the first enrollment. Before registration a
    /// different NIP replaces the earlier one and its template; a registered phone refuses it.
    #[arg(long)]
    nip: Option<String>,
    /// An enrollment photo (JPEG or PNG) of the ASN's face; give 3 to 5.
    #[arg(long = "photo", required = true)]
    photos: Vec<PathBuf>,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print JSON: {template_id, photo_count, model_id, active}; `active` is false on a
    /// registered phone until a new registration sends the new face to the server.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// Presensi masuk.
    In,
    /// Presensi pulang.
    Out,
}

#[derive(Args)]
#[command(after_help = CHECK_IN_JSON_HELP)]
pub struct CheckInArgs {
    /// Data folder of the simulated phone (initialised, enrolled, with a configuration).
    #[arg(long)]
    data_dir: PathBuf,
    /// The selfie (JPEG or PNG), frame 0.
    #[arg(long)]
    selfie: PathBuf,
    /// A further frame of the blink burst; repeat in capture order.
    #[arg(long = "frame")]
    frames: Vec<PathBuf>,
    /// Latitude of the GPS fix in degrees (north positive).
    #[arg(long, allow_hyphen_values = true)]
    lat: f64,
    /// Longitude of the GPS fix in degrees (east positive).
    #[arg(long, allow_hyphen_values = true)]
    lon: f64,
    /// Accuracy radius of the fix in metres (68 % confidence, as Android reports it).
    /// A negative value is accepted here so that the check-in rejects it with its own text.
    #[arg(long, allow_hyphen_values = true)]
    accuracy: f64,
    /// Mark the fix as coming from a mock location provider.
    #[arg(long)]
    mock: bool,
    /// Location provider name recorded with the fix.
    #[arg(long, default_value = "gps")]
    provider: String,
    /// Check-in (`in`, presensi masuk) or check-out (`out`, presensi pulang).
    #[arg(long, value_enum, default_value = "in")]
    kind: KindArg,
    /// Language of the text output: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print the outcome as JSON (fields below).
    #[arg(long)]
    json: bool,
}

const CHECK_IN_JSON_HELP: &str = "\
JSON fields (--json): status (accepted, flagged or rejected), retry_advised, headline and
reasons (each {id, id_text, en_text}), record_id, sequence, kind (check_in or check_out),
attendance_day (YYYY-MM-DD), zone (WIB, WITA or WIT), trusted_time_ms, time_source
(server_anchor or wall_clock), latitude, longitude (degrees), latitude_e7, longitude_e7,
accuracy_mm, geofence (inside, outside or uncertain), office_id, office_name, distance_m,
face_matched, face_score_milli, liveness_milli.

Every well-formed attempt is recorded, rejected ones too, and the command exits with 0;
malformed input (an unreadable photo, invalid coordinates) exits with 1 and records nothing.";

/// Opens the simulated phone's device API on the default models (`scripts/setup` fetches them).
/// A device error names its cause in English; [`open_device_in`] uses the command's locale.
pub fn open_device(data_dir: &Path) -> anyhow::Result<Device> {
    open_device_in(data_dir, Locale::En)
}

/// Opens the device API like [`open_device`], with device errors in `locale`.
pub fn open_device_in(data_dir: &Path, locale: Locale) -> anyhow::Result<Device> {
    if !data_dir.join(STORE_FILE).is_file() {
        bail!(
            "{} has no store; run `siperlu device init --data-dir {}` first",
            data_dir.display(),
            data_dir.display()
        );
    }
    let vault = open_vault(data_dir)?;
    let engine = FaceEngine::new(FaceEngineConfig::default())
        .context("cannot load the face models; run scripts/setup")?;
    Device::open(data_dir, vault, Arc::new(engine), Arc::new(SystemClock))
        .map_err(|error| localized(error, locale))
}

/// Turns a device error into an error whose first line is the catalog text in `locale`,
/// followed by what to run in the simulator when the phone's set-up is incomplete.
pub fn localized(error: DeviceError, locale: Locale) -> anyhow::Error {
    match simulator_hint(&error) {
        Some(hint) => anyhow::anyhow!("{} ({error})\n{hint}", error.message(locale)),
        None => anyhow::anyhow!("{} ({error})", error.message(locale)),
    }
}

/// The CLI step that fixes a missing piece of set-up. The catalog texts speak of the app's
/// screens, which the simulator does not have.
fn simulator_hint(error: &DeviceError) -> Option<&'static str> {
    match error {
        DeviceError::NoNip => Some(
            "hint: give the NIP with `siperlu device enroll --nip NIP ...` (or `device config import --nip NIP`)",
        ),
        DeviceError::NoConfig => Some(
            "hint: store a configuration with `siperlu device config import --offices FILE` (simulator) or `siperlu device register --server URL --code CODE`",
        ),
        DeviceError::NoTemplate => {
            Some("hint: enroll the face with `siperlu device enroll --photo A --photo B --photo C`")
        }
        _ => None,
    }
}

/// Reads a photo file. The error is the catalog text in `locale`, with the operating system's
/// reason (such as "No such file or directory") in brackets.
fn read_photo(path: &Path, locale: Locale) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|error| {
        anyhow::anyhow!(
            "{}",
            messages::format(
                "device.photo_unreadable",
                locale,
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &error.to_string())
                ],
            )
        )
    })
}

pub fn enroll(args: EnrollArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let device = open_device_in(&args.data_dir, locale)?;
    if let Some(nip) = &args.nip {
        let registered = device.registration().map_err(|e| localized(e, locale))?;
        if registered.as_ref().map(|registration| &registration.nip) != Some(nip) {
            device.set_nip(nip).map_err(|e| localized(e, locale))?;
        }
    }

    let photos = args
        .photos
        .iter()
        .map(|path| read_photo(path, locale))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let refs: Vec<&[u8]> = photos.iter().map(Vec::as_slice).collect();
    let outcome = device
        .enroll_face(&refs)
        .map_err(|e| localized(e, locale))?;

    if args.json {
        let output = serde_json::json!({
            "template_id": outcome.template_id,
            "photo_count": outcome.photo_count,
            "model_id": outcome.model_id,
            "active": outcome.active,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        let headline = if outcome.active {
            "device.enrolled"
        } else {
            "device.enrolled_pending"
        };
        println!("{}", messages::format(headline, locale, &[]));
        println!("template_id\t{}", outcome.template_id);
        println!("photo_count\t{}", outcome.photo_count);
    }
    Ok(())
}

pub fn check_in(args: CheckInArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let fix = Fix::from_degrees(
        args.lat,
        args.lon,
        args.accuracy,
        crate::device::now_ms(),
        &args.provider,
        args.mock,
    )
    .map_err(|error| localized(error.into(), locale))?;

    let mut frames = vec![read_photo(&args.selfie, locale)?];
    for path in &args.frames {
        frames.push(read_photo(path, locale)?);
    }
    let refs: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
    let kind = match args.kind {
        KindArg::In => AttendanceKind::CheckIn,
        KindArg::Out => AttendanceKind::CheckOut,
    };

    let device = open_device_in(&args.data_dir, locale)?;
    let outcome = device
        .check_in(kind, &refs, fix)
        .map_err(|e| localized(e, locale))?;

    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome_json(&outcome))?);
    } else {
        print_outcome(&outcome, locale);
    }
    Ok(())
}

fn outcome_json(outcome: &CheckInOutcome) -> serde_json::Value {
    let text = |reason: &siperlu_core::device::ReasonText| serde_json::json!({"id": reason.id, "id_text": reason.id_text, "en_text": reason.en_text});
    serde_json::json!({
        "status": outcome.status.name(),
        "retry_advised": outcome.retry_advised,
        "headline": text(&outcome.headline),
        "reasons": outcome.reasons.iter().map(text).collect::<Vec<_>>(),
        "record_id": outcome.record_id.to_string(),
        "sequence": outcome.sequence,
        "kind": outcome.kind.name(),
        "attendance_day": outcome.attendance_day.to_string(),
        "zone": outcome.zone.abbreviation(),
        "trusted_time_ms": outcome.trusted_time_ms,
        "time_source": outcome.time_source.name(),
        "latitude": f64::from(outcome.latitude_e7) / 1e7,
        "longitude": f64::from(outcome.longitude_e7) / 1e7,
        "latitude_e7": outcome.latitude_e7,
        "longitude_e7": outcome.longitude_e7,
        "accuracy_mm": outcome.accuracy_mm,
        "geofence": outcome.geofence.name(),
        "office_id": outcome.office_id,
        "office_name": outcome.office_name,
        "distance_m": outcome.distance_m,
        "face_matched": outcome.face_matched,
        "face_score_milli": outcome.face_score_milli,
        "liveness_milli": outcome.liveness_milli,
    })
}

/// Formats a length in metres with one decimal, with a decimal comma in Bahasa Indonesia
/// ("121,2"). Coordinates keep the decimal point: "-5,1477, 119,4327" would not parse by eye.
fn decimal(value: f64, locale: Locale) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::Id => text.replace('.', ","),
        Locale::En => text,
    }
}

fn print_outcome(outcome: &CheckInOutcome, locale: Locale) {
    println!("{}", outcome.headline.text(locale));
    for reason in &outcome.reasons {
        println!("- {}", reason.text(locale));
    }
    let summary = messages::format(
        "device.summary",
        locale,
        &[
            ("day", &outcome.attendance_day.to_string()),
            ("zone", outcome.zone.abbreviation()),
            ("office", &outcome.office_name),
            (
                "distance",
                &messages::units::format_distance_m(outcome.distance_m, locale),
            ),
            (
                "lat",
                &format!("{:.7}", f64::from(outcome.latitude_e7) / 1e7),
            ),
            (
                "lon",
                &format!("{:.7}", f64::from(outcome.longitude_e7) / 1e7),
            ),
            (
                "accuracy_m",
                &decimal(f64::from(outcome.accuracy_mm) / 1000.0, locale),
            ),
            ("sequence", &outcome.sequence.to_string()),
            ("record_id", &outcome.record_id.to_string()),
        ],
    );
    println!("{summary}");
}
