//! The signed attendance record: what a phone writes at each check-in or check-out, and what
//! the server verifies before it believes any of it.
//!
//! A record carries its own plain wire fields (the face and geofence verdicts as integers and
//! codes, not the face or geofence types), a canonical byte encoding with no floating point
//! (see [`crate::wire`] and docs/PROTOCOL.md), an Ed25519 signature by the device key over
//! those bytes, and a per-device hash chain: record `n` holds the SHA-256 of the signed bytes
//! of record `n - 1`. Editing a record breaks its signature; deleting one leaves a sequence gap;
//! sending an old one again shows as a replay. [`verify_chain`] reports each of these as a
//! typed finding, because the server flags such records for an admin rather than dropping them.

use ring::digest::{SHA256, digest};
use ring::signature::{ED25519, Ed25519KeyPair, UnparsedPublicKey};
use uuid::Uuid;

use crate::time::{ClockReading, TimeAnchor, TimeSource};
use crate::wire::{DecodeError, DecodeProblem, Reader, Writer, check_length};

/// Magic prefix of an encoded record body.
pub const RECORD_MAGIC: [u8; 4] = *b"SPRC";
/// Format version this code writes and reads. Version 2 added the time anchor. A version 1
/// record cannot be checked against the server's anchors, so it is rejected.
pub const RECORD_FORMAT_VERSION: u16 = 2;
/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;
/// Length of an Ed25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of a record hash (SHA-256).
pub const HASH_LEN: usize = 32;
/// Previous-record hash of a device's first record.
pub const GENESIS_HASH: [u8; HASH_LEN] = [0; HASH_LEN];

/// Maximum length in bytes of an identifier string (boot id, office id, template id, provider,
/// model id, reason id).
pub const MAX_ID_LEN: usize = 128;
/// Maximum number of reason ids in one record.
pub const MAX_REASONS: usize = 32;
/// Maximum number of model ids in one record.
pub const MAX_MODEL_IDS: usize = 16;
/// Length of a NIP (Nomor Induk Pegawai): 18 ASCII digits.
pub const NIP_LEN: usize = 18;

/// Whether a record opens or closes a working period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AttendanceKind {
    /// Presensi masuk.
    CheckIn = 1,
    /// Presensi pulang.
    CheckOut = 2,
}

impl AttendanceKind {
    /// Returns the kind for a wire code, or `None` for an unknown code.
    pub fn from_code(code: u8) -> Option<AttendanceKind> {
        match code {
            1 => Some(AttendanceKind::CheckIn),
            2 => Some(AttendanceKind::CheckOut),
            _ => None,
        }
    }

    /// Returns the lowercase name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            AttendanceKind::CheckIn => "check_in",
            AttendanceKind::CheckOut => "check_out",
        }
    }
}

/// The geofence verdict as a record stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum GeofenceCode {
    /// No fence was evaluated, for example because the fix was rejected before.
    NotEvaluated = 0,
    /// The fix and its accuracy circle lie inside the fence.
    Inside = 1,
    /// The fix lies outside the fence beyond its accuracy.
    Outside = 2,
    /// The accuracy circle crosses the fence boundary.
    Uncertain = 3,
}

impl GeofenceCode {
    /// Returns the code for a wire byte, or `None` for an unknown byte.
    pub fn from_code(code: u8) -> Option<GeofenceCode> {
        match code {
            0 => Some(GeofenceCode::NotEvaluated),
            1 => Some(GeofenceCode::Inside),
            2 => Some(GeofenceCode::Outside),
            3 => Some(GeofenceCode::Uncertain),
            _ => None,
        }
    }

    /// Returns the lowercase name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            GeofenceCode::NotEvaluated => "not_evaluated",
            GeofenceCode::Inside => "inside",
            GeofenceCode::Outside => "outside",
            GeofenceCode::Uncertain => "uncertain",
        }
    }
}

/// Outcome of the active liveness check (a blink across a burst of frames).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ActiveLiveness {
    /// The check did not run.
    NotRun = 0,
    /// A blink was seen.
    Passed = 1,
    /// No blink was seen.
    Failed = 2,
}

impl ActiveLiveness {
    /// Returns the outcome for a wire byte, or `None` for an unknown byte.
    pub fn from_code(code: u8) -> Option<ActiveLiveness> {
        match code {
            0 => Some(ActiveLiveness::NotRun),
            1 => Some(ActiveLiveness::Passed),
            2 => Some(ActiveLiveness::Failed),
            _ => None,
        }
    }

    /// Returns the lowercase name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ActiveLiveness::NotRun => "not_run",
            ActiveLiveness::Passed => "passed",
            ActiveLiveness::Failed => "failed",
        }
    }
}

/// The GPS fix as a record stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLocation {
    /// Latitude in 1e-7 degrees, -900_000_000..=900_000_000.
    pub latitude_e7: i32,
    /// Longitude in 1e-7 degrees, -1_800_000_000..=1_800_000_000.
    pub longitude_e7: i32,
    /// Horizontal accuracy (68% radius, as Android reports it) in millimetres.
    pub accuracy_mm: u32,
    /// UTC time of the fix in milliseconds since the Unix epoch, as the provider stamped it.
    pub fix_time_ms: i64,
    /// Location provider name, such as `gps` or `fused`.
    pub provider: String,
    /// Whether Android marked the fix as coming from a mock location provider.
    pub mock: bool,
}

/// The geofence verdict as a record stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordGeofence {
    /// The verdict.
    pub code: GeofenceCode,
    /// Id of the office whose fence was evaluated; empty when none was.
    pub office_id: String,
    /// Distance the geofence module reported for the verdict, in millimetres. Signed, so that a
    /// distance measured inward from the boundary fits as well as one measured outward.
    pub distance_mm: i64,
}

/// The time anchor a record's trusted time was computed from. Its boot is the record's boot,
/// because an anchor of another boot is never used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAnchor {
    /// Server UTC time of the anchor in milliseconds since the Unix epoch, as the server sent it.
    pub server_time_ms: i64,
    /// The phone's elapsed-since-boot clock when the anchor arrived, in ms, at least 0.
    pub elapsed_ms: i64,
    /// Half the round trip of the anchor request, in ms.
    pub round_trip_uncertainty_ms: u32,
}

impl RecordAnchor {
    /// Returns the part of `anchor` a record carries.
    pub fn from_time_anchor(anchor: &TimeAnchor) -> RecordAnchor {
        RecordAnchor {
            server_time_ms: anchor.server_time_ms,
            elapsed_ms: anchor.elapsed_ms,
            round_trip_uncertainty_ms: anchor.round_trip_uncertainty_ms,
        }
    }

    /// Returns the full anchor, with the boot id of the record that carries it.
    pub fn to_time_anchor(&self, boot_id: &str) -> TimeAnchor {
        TimeAnchor {
            server_time_ms: self.server_time_ms,
            elapsed_ms: self.elapsed_ms,
            boot_id: boot_id.to_string(),
            round_trip_uncertainty_ms: self.round_trip_uncertainty_ms,
        }
    }
}

/// The face verdict as a record stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFace {
    /// Whether the selfie matched the enrolled template at the configured threshold.
    pub matched: bool,
    /// Match score (cosine similarity) in thousandths, -1000..=1000.
    pub score_milli: i32,
    /// Passive liveness score (probability of a live face) in thousandths, 0..=1000.
    pub liveness_milli: i32,
    /// Outcome of the active liveness check.
    pub active_liveness: ActiveLiveness,
}

/// One attendance record. The field order here is the encoding order; docs/PROTOCOL.md
/// describes each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRecord {
    /// Encoding format version; always [`RECORD_FORMAT_VERSION`] for records this code writes.
    pub format_version: u16,
    /// Record id, a UUIDv7 (its time prefix sorts records by creation).
    pub record_id: Uuid,
    /// Id of the device that signed the record, assigned at device initialisation.
    pub device_id: Uuid,
    /// NIP of the ASN, 18 ASCII digits.
    pub nip: String,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// Phone wall clock at check-in, ms since the Unix epoch (untrusted).
    pub wall_clock_ms: i64,
    /// Phone elapsed-since-boot clock at check-in, in ms, at least 0.
    pub elapsed_ms: i64,
    /// Id of the boot the elapsed clock belongs to.
    pub boot_id: String,
    /// Trusted-time estimate, ms since the Unix epoch.
    pub trusted_time_ms: i64,
    /// Bound on the trusted-time error in ms; `u32::MAX` when unbounded (wall clock).
    pub trusted_uncertainty_ms: u32,
    /// Source of the trusted time.
    pub time_source: TimeSource,
    /// The anchor the trusted time was computed from: `Some` exactly when `time_source` is
    /// [`TimeSource::ServerAnchor`].
    pub anchor: Option<RecordAnchor>,
    /// UTC offset of the office zone at the trusted time, in minutes (420 WIB, 480 WITA,
    /// 540 WIT), -720..=840.
    pub zone_offset_minutes: i16,
    /// The GPS fix.
    pub location: RecordLocation,
    /// The geofence verdict.
    pub geofence: RecordGeofence,
    /// The face verdict.
    pub face: RecordFace,
    /// Reason ids and flags (message catalog ids such as `time.clock_skew`), in the order the
    /// check-in produced them.
    pub reasons: Vec<String>,
    /// Id of the face template the selfie was matched against; empty when none was.
    pub template_id: String,
    /// Ids of the models that produced the verdicts (file name and hash prefix, for example).
    pub model_ids: Vec<String>,
    /// Per-device sequence number, starting at 1 and increasing by 1.
    pub sequence: u64,
    /// SHA-256 of the previous record's signed bytes; [`GENESIS_HASH`] for sequence 1.
    pub previous_hash: [u8; HASH_LEN],
}

/// Errors of building, signing and verifying records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A field value the protocol does not allow; the encoding is not produced.
    #[error(transparent)]
    Invalid(#[from] DecodeError),
    /// The bytes are not a canonical signed record.
    #[error("malformed record: {0}")]
    Malformed(DecodeError),
    /// The signature does not verify with the given public key.
    #[error(
        "record signature does not verify with the device public key; the record was changed or signed by another key"
    )]
    BadSignature,
    /// The PKCS#8 device key cannot be parsed.
    #[error("device key is not a valid Ed25519 PKCS#8 document; initialise the device again")]
    BadKey,
    /// A public key of the wrong length.
    #[error("public key is {0} bytes; an Ed25519 public key is 32 bytes")]
    BadPublicKeyLength(usize),
}

impl AttendanceRecord {
    /// Checks every field against the limits of the protocol, naming the first bad field.
    pub fn validate(&self) -> Result<(), DecodeError> {
        if self.format_version != RECORD_FORMAT_VERSION {
            return Err(DecodeError::new(
                "format_version",
                DecodeProblem::UnsupportedVersion {
                    found: self.format_version,
                    supported: RECORD_FORMAT_VERSION,
                },
            ));
        }
        if self.record_id.get_version_num() != 7 {
            return Err(DecodeError::out_of_range(
                "record_id",
                format!("{} is not a UUIDv7", self.record_id),
            ));
        }
        validate_nip(&self.nip)?;
        if self.elapsed_ms < 0 {
            return Err(DecodeError::out_of_range(
                "elapsed_ms",
                format!("{} is negative", self.elapsed_ms),
            ));
        }
        check_length("boot_id", self.boot_id.len(), MAX_ID_LEN)?;
        match (self.time_source, &self.anchor) {
            (TimeSource::ServerAnchor, Some(anchor)) if anchor.elapsed_ms < 0 => {
                return Err(DecodeError::out_of_range(
                    "anchor_elapsed_ms",
                    format!("{} is negative", anchor.elapsed_ms),
                ));
            }
            (TimeSource::ServerAnchor, Some(_)) | (TimeSource::WallClock, None) => {}
            (TimeSource::ServerAnchor, None) => {
                return Err(DecodeError::out_of_range(
                    "anchor",
                    "time_source server_anchor needs the anchor the time was computed from",
                ));
            }
            (TimeSource::WallClock, Some(_)) => {
                return Err(DecodeError::out_of_range(
                    "anchor",
                    "time_source wall_clock carries no anchor; use server_anchor or drop it",
                ));
            }
        }
        if !(-720..=840).contains(&self.zone_offset_minutes) {
            return Err(DecodeError::out_of_range(
                "zone_offset_minutes",
                format!("{} is outside -720..=840", self.zone_offset_minutes),
            ));
        }

        let location = &self.location;
        if !(-900_000_000..=900_000_000).contains(&location.latitude_e7) {
            return Err(DecodeError::out_of_range(
                "latitude_e7",
                format!("{} is outside -900000000..=900000000", location.latitude_e7),
            ));
        }
        if !(-1_800_000_000..=1_800_000_000).contains(&location.longitude_e7) {
            return Err(DecodeError::out_of_range(
                "longitude_e7",
                format!(
                    "{} is outside -1800000000..=1800000000",
                    location.longitude_e7
                ),
            ));
        }
        check_length("provider", location.provider.len(), MAX_ID_LEN)?;
        check_length("office_id", self.geofence.office_id.len(), MAX_ID_LEN)?;

        if !(-1000..=1000).contains(&self.face.score_milli) {
            return Err(DecodeError::out_of_range(
                "score_milli",
                format!("{} is outside -1000..=1000", self.face.score_milli),
            ));
        }
        if !(0..=1000).contains(&self.face.liveness_milli) {
            return Err(DecodeError::out_of_range(
                "liveness_milli",
                format!("{} is outside 0..=1000", self.face.liveness_milli),
            ));
        }

        check_length("reasons", self.reasons.len(), MAX_REASONS)?;
        for reason in &self.reasons {
            check_length("reasons", reason.len(), MAX_ID_LEN)?;
        }
        check_length("template_id", self.template_id.len(), MAX_ID_LEN)?;
        check_length("model_ids", self.model_ids.len(), MAX_MODEL_IDS)?;
        for model_id in &self.model_ids {
            check_length("model_ids", model_id.len(), MAX_ID_LEN)?;
        }

        if self.sequence == 0 {
            return Err(DecodeError::out_of_range(
                "sequence",
                "sequence numbers start at 1",
            ));
        }
        if self.sequence == 1 && self.previous_hash != GENESIS_HASH {
            return Err(DecodeError::out_of_range(
                "previous_hash",
                "the first record of a device must carry the all-zero previous hash",
            ));
        }
        Ok(())
    }

    /// Encodes the record body: the bytes the signature covers.
    pub fn encode(&self) -> Result<Vec<u8>, RecordError> {
        self.validate()?;

        let mut writer = Writer::new(&RECORD_MAGIC, RECORD_FORMAT_VERSION);
        writer.uuid(&self.record_id);
        writer.uuid(&self.device_id);
        writer.string(&self.nip);
        writer.u8(self.kind as u8);
        writer.i64(self.wall_clock_ms);
        writer.i64(self.elapsed_ms);
        writer.string(&self.boot_id);
        writer.i64(self.trusted_time_ms);
        writer.u32(self.trusted_uncertainty_ms);
        writer.u8(self.time_source.code());
        // The anchor fields follow only for time source 1; `validate` made sure they agree.
        if let Some(anchor) = &self.anchor {
            writer.i64(anchor.server_time_ms);
            writer.i64(anchor.elapsed_ms);
            writer.u32(anchor.round_trip_uncertainty_ms);
        }
        writer.i16(self.zone_offset_minutes);

        writer.i32(self.location.latitude_e7);
        writer.i32(self.location.longitude_e7);
        writer.u32(self.location.accuracy_mm);
        writer.i64(self.location.fix_time_ms);
        writer.string(&self.location.provider);
        writer.bool(self.location.mock);

        writer.u8(self.geofence.code as u8);
        writer.string(&self.geofence.office_id);
        writer.i64(self.geofence.distance_mm);

        writer.bool(self.face.matched);
        writer.i32(self.face.score_milli);
        writer.i32(self.face.liveness_milli);
        writer.u8(self.face.active_liveness as u8);

        writer.strings(&self.reasons);
        writer.string(&self.template_id);
        writer.strings(&self.model_ids);
        writer.u64(self.sequence);
        writer.fixed(&self.previous_hash);
        Ok(writer.finish())
    }

    /// Decodes a record body, rejecting any byte string that [`AttendanceRecord::encode`] would
    /// not produce.
    pub fn decode(bytes: &[u8]) -> Result<AttendanceRecord, DecodeError> {
        let mut reader = Reader::new(bytes, &RECORD_MAGIC, RECORD_FORMAT_VERSION)?;
        let record = read_fields(&mut reader)?;
        reader.finish()?;
        record.validate()?;
        Ok(record)
    }

    /// Returns the phone clock reading the record was made with, to compare the next check-in
    /// with ([`crate::time::estimate_trusted_time`] takes it as `previous`).
    pub fn clock_reading(&self) -> ClockReading {
        ClockReading {
            wall_clock_ms: self.wall_clock_ms,
            elapsed_ms: self.elapsed_ms,
            boot_id: self.boot_id.clone(),
        }
    }

    /// Returns the record as JSON with the field names of docs/PROTOCOL.md; byte strings are
    /// lowercase hex. `scripts/verify_vectors.py` produces the same JSON from the bytes.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "format_version": self.format_version,
            "record_id": self.record_id.to_string(),
            "device_id": self.device_id.to_string(),
            "nip": self.nip,
            "kind": self.kind.name(),
            "wall_clock_ms": self.wall_clock_ms,
            "elapsed_ms": self.elapsed_ms,
            "boot_id": self.boot_id,
            "trusted_time_ms": self.trusted_time_ms,
            "trusted_uncertainty_ms": self.trusted_uncertainty_ms,
            "time_source": self.time_source.name(),
            "anchor": self.anchor.map(|anchor| serde_json::json!({
                "server_time_ms": anchor.server_time_ms,
                "elapsed_ms": anchor.elapsed_ms,
                "round_trip_uncertainty_ms": anchor.round_trip_uncertainty_ms,
            })),
            "zone_offset_minutes": self.zone_offset_minutes,
            "location": {
                "latitude_e7": self.location.latitude_e7,
                "longitude_e7": self.location.longitude_e7,
                "accuracy_mm": self.location.accuracy_mm,
                "fix_time_ms": self.location.fix_time_ms,
                "provider": self.location.provider,
                "mock": self.location.mock,
            },
            "geofence": {
                "code": self.geofence.code.name(),
                "office_id": self.geofence.office_id,
                "distance_mm": self.geofence.distance_mm,
            },
            "face": {
                "matched": self.face.matched,
                "score_milli": self.face.score_milli,
                "liveness_milli": self.face.liveness_milli,
                "active_liveness": self.face.active_liveness.name(),
            },
            "reasons": self.reasons,
            "template_id": self.template_id,
            "model_ids": self.model_ids,
            "sequence": self.sequence,
            "previous_hash": hex::encode(self.previous_hash),
        })
    }
}

fn read_fields(reader: &mut Reader<'_>) -> Result<AttendanceRecord, DecodeError> {
    let record_id = reader.uuid("record_id")?;
    let device_id = reader.uuid("device_id")?;
    let nip = reader.string("nip", NIP_LEN)?;
    let kind_code = reader.u8("kind")?;
    let kind = AttendanceKind::from_code(kind_code).ok_or(DecodeError::new(
        "kind",
        DecodeProblem::UnknownCode(kind_code),
    ))?;
    let wall_clock_ms = reader.i64("wall_clock_ms")?;
    let elapsed_ms = reader.i64("elapsed_ms")?;
    let boot_id = reader.string("boot_id", MAX_ID_LEN)?;
    let trusted_time_ms = reader.i64("trusted_time_ms")?;
    let trusted_uncertainty_ms = reader.u32("trusted_uncertainty_ms")?;
    let source_code = reader.u8("time_source")?;
    let time_source = TimeSource::from_code(source_code).ok_or(DecodeError::new(
        "time_source",
        DecodeProblem::UnknownCode(source_code),
    ))?;
    let anchor = match time_source {
        TimeSource::ServerAnchor => Some(RecordAnchor {
            server_time_ms: reader.i64("anchor_server_time_ms")?,
            elapsed_ms: reader.i64("anchor_elapsed_ms")?,
            round_trip_uncertainty_ms: reader.u32("anchor_round_trip_uncertainty_ms")?,
        }),
        TimeSource::WallClock => None,
    };
    let zone_offset_minutes = reader.i16("zone_offset_minutes")?;

    let location = RecordLocation {
        latitude_e7: reader.i32("latitude_e7")?,
        longitude_e7: reader.i32("longitude_e7")?,
        accuracy_mm: reader.u32("accuracy_mm")?,
        fix_time_ms: reader.i64("fix_time_ms")?,
        provider: reader.string("provider", MAX_ID_LEN)?,
        mock: reader.bool("mock")?,
    };

    let geofence_code = reader.u8("geofence_code")?;
    let geofence = RecordGeofence {
        code: GeofenceCode::from_code(geofence_code).ok_or(DecodeError::new(
            "geofence_code",
            DecodeProblem::UnknownCode(geofence_code),
        ))?,
        office_id: reader.string("office_id", MAX_ID_LEN)?,
        distance_mm: reader.i64("distance_mm")?,
    };

    let matched = reader.bool("matched")?;
    let score_milli = reader.i32("score_milli")?;
    let liveness_milli = reader.i32("liveness_milli")?;
    let liveness_code = reader.u8("active_liveness")?;
    let face = RecordFace {
        matched,
        score_milli,
        liveness_milli,
        active_liveness: ActiveLiveness::from_code(liveness_code).ok_or(DecodeError::new(
            "active_liveness",
            DecodeProblem::UnknownCode(liveness_code),
        ))?,
    };

    Ok(AttendanceRecord {
        format_version: RECORD_FORMAT_VERSION,
        record_id,
        device_id,
        nip,
        kind,
        wall_clock_ms,
        elapsed_ms,
        boot_id,
        trusted_time_ms,
        trusted_uncertainty_ms,
        time_source,
        anchor,
        zone_offset_minutes,
        location,
        geofence,
        face,
        reasons: reader.strings("reasons", MAX_REASONS, MAX_ID_LEN)?,
        template_id: reader.string("template_id", MAX_ID_LEN)?,
        model_ids: reader.strings("model_ids", MAX_MODEL_IDS, MAX_ID_LEN)?,
        sequence: reader.u64("sequence")?,
        previous_hash: reader.fixed("previous_hash")?,
    })
}

/// Returns a new record id: a UUIDv7 from the system clock and random bits.
///
/// The id only needs to be unique, so the untrusted wall clock in its time prefix does no harm.
pub fn new_record_id() -> Uuid {
    Uuid::now_v7()
}

/// Checks that `nip` is 18 ASCII digits.
pub fn validate_nip(nip: &str) -> Result<(), DecodeError> {
    if nip.len() != NIP_LEN || !nip.bytes().all(|byte| byte.is_ascii_digit()) {
        // The NIP itself stays out of the message: it is personal data.
        return Err(DecodeError::out_of_range(
            "nip",
            format!(
                "a NIP is {NIP_LEN} digits; the value given has {} characters",
                nip.chars().count()
            ),
        ));
    }
    Ok(())
}

/// A record with its signature, as stored in the outbox and sent to the server.
///
/// The signed bytes are the record body followed by the 64-byte Ed25519 signature of the body.
/// The hash chain links records by the SHA-256 of these signed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRecord {
    record: AttendanceRecord,
    bytes: Vec<u8>,
}

impl SignedRecord {
    /// Encodes and signs `record` with the device key.
    pub fn sign(
        record: &AttendanceRecord,
        key_pair: &Ed25519KeyPair,
    ) -> Result<SignedRecord, RecordError> {
        let mut bytes = record.encode()?;
        let signature = key_pair.sign(&bytes);
        bytes.extend_from_slice(signature.as_ref());
        Ok(SignedRecord {
            record: record.clone(),
            bytes,
        })
    }

    /// Parses signed bytes without checking the signature; see [`verify_record`] for that.
    pub fn from_bytes(bytes: &[u8]) -> Result<SignedRecord, RecordError> {
        if bytes.len() < SIGNATURE_LEN {
            return Err(RecordError::Malformed(DecodeError::new(
                "signature",
                DecodeProblem::Truncated {
                    needed: SIGNATURE_LEN,
                    available: bytes.len(),
                },
            )));
        }
        let body = &bytes[..bytes.len() - SIGNATURE_LEN];
        let record = AttendanceRecord::decode(body).map_err(RecordError::Malformed)?;
        Ok(SignedRecord {
            record,
            bytes: bytes.to_vec(),
        })
    }

    /// Returns the decoded record.
    pub fn record(&self) -> &AttendanceRecord {
        &self.record
    }

    /// Returns the signed bytes: body then signature.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Returns the body: the bytes the signature covers.
    pub fn body(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - SIGNATURE_LEN]
    }

    /// Returns the signature.
    pub fn signature(&self) -> &[u8] {
        &self.bytes[self.bytes.len() - SIGNATURE_LEN..]
    }

    /// Returns the SHA-256 of the signed bytes, which the next record carries.
    pub fn hash(&self) -> [u8; HASH_LEN] {
        record_hash(&self.bytes)
    }

    /// Checks the signature against a device public key (32 bytes).
    pub fn verify(&self, public_key: &[u8]) -> Result<(), RecordError> {
        if public_key.len() != PUBLIC_KEY_LEN {
            return Err(RecordError::BadPublicKeyLength(public_key.len()));
        }
        UnparsedPublicKey::new(&ED25519, public_key)
            .verify(self.body(), self.signature())
            .map_err(|_| RecordError::BadSignature)
    }
}

/// A signed record whose signature verified with a device public key. Only [`VerifiedRecord::verify`]
/// builds one, so code that takes this type can rely on the check without repeating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRecord {
    signed: SignedRecord,
    hash: [u8; HASH_LEN],
}

impl VerifiedRecord {
    /// Checks the signature of `signed` against a device public key (32 bytes).
    pub fn verify(signed: SignedRecord, public_key: &[u8]) -> Result<VerifiedRecord, RecordError> {
        signed.verify(public_key)?;
        let hash = signed.hash();
        Ok(VerifiedRecord { signed, hash })
    }

    /// Returns the decoded record.
    pub fn record(&self) -> &AttendanceRecord {
        self.signed.record()
    }

    /// Returns the signed record.
    pub fn signed(&self) -> &SignedRecord {
        &self.signed
    }

    /// Returns the signed bytes: body then signature.
    pub fn as_bytes(&self) -> &[u8] {
        self.signed.as_bytes()
    }

    /// Returns the SHA-256 of the signed bytes, computed once at verification.
    pub fn hash(&self) -> [u8; HASH_LEN] {
        self.hash
    }
}

/// Returns the SHA-256 of signed record bytes.
pub fn record_hash(signed_bytes: &[u8]) -> [u8; HASH_LEN] {
    let mut hash = [0u8; HASH_LEN];
    hash.copy_from_slice(digest(&SHA256, signed_bytes).as_ref());
    hash
}

/// Parses signed record bytes and checks the signature against a device public key.
pub fn verify_record(signed_bytes: &[u8], public_key: &[u8]) -> Result<SignedRecord, RecordError> {
    let signed = SignedRecord::from_bytes(signed_bytes)?;
    signed.verify(public_key)?;
    Ok(signed)
}

/// The last record of a device the verifier accepted into the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainState {
    /// Its sequence number.
    pub sequence: u64,
    /// SHA-256 of its signed bytes.
    pub hash: [u8; HASH_LEN],
}

/// What [`verify_chain`] found for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainStatus {
    /// Signed by the device and the direct successor of the chain state.
    Linked,
    /// The same bytes as the last accepted record: a harmless resend.
    Duplicate,
    /// A sequence number below the last accepted one. The server looks the record id up to
    /// tell a resend of a stored record from a replayed copy.
    Replay { last_sequence: u64 },
    /// Different bytes under the sequence number of the last accepted record.
    Fork { sequence: u64 },
    /// Records `expected..found` are missing. The chain state moves on to this record, so one
    /// deletion gives one finding.
    SequenceGap { expected: u64, found: u64 },
    /// The sequence follows on, but the previous-record hash is not the hash of the last
    /// accepted record: an earlier record was changed or replaced. The chain state moves on.
    ChainBreak {
        expected_previous: [u8; HASH_LEN],
        found_previous: [u8; HASH_LEN],
    },
    /// Signed for another device id.
    WrongDevice { found: Uuid },
    /// The signature does not verify; nothing in the record can be believed.
    BadSignature,
    /// The bytes are not a canonical signed record.
    Malformed(DecodeError),
}

impl ChainStatus {
    /// Returns the message catalog id for an admin, or `None` for [`ChainStatus::Linked`].
    pub fn message_id(&self) -> Option<&'static str> {
        match self {
            ChainStatus::Linked | ChainStatus::Duplicate => None,
            ChainStatus::Replay { .. } => Some("record.replay"),
            ChainStatus::Fork { .. } => Some("record.fork"),
            ChainStatus::SequenceGap { .. } => Some("record.sequence_gap"),
            ChainStatus::ChainBreak { .. } => Some("record.chain_break"),
            ChainStatus::WrongDevice { .. } => Some("record.wrong_device"),
            ChainStatus::BadSignature => Some("record.bad_signature"),
            ChainStatus::Malformed(_) => Some("record.malformed"),
        }
    }
}

/// The finding for one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFinding {
    /// Position of the record in the batch.
    pub index: usize,
    /// Sequence number, when the bytes decode.
    pub sequence: Option<u64>,
    /// Record id, when the bytes decode.
    pub record_id: Option<Uuid>,
    /// Finding for this record.
    pub status: ChainStatus,
}

/// The result of checking a batch of one device's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// One finding per record, in batch order.
    pub findings: Vec<ChainFinding>,
    /// The chain state after the batch, to store for the next batch.
    pub state: Option<ChainState>,
}

impl ChainReport {
    /// Whether every record linked on (duplicates included) without a finding for an admin.
    pub fn is_clean(&self) -> bool {
        self.findings
            .iter()
            .all(|finding| matches!(finding.status, ChainStatus::Linked | ChainStatus::Duplicate))
    }
}

/// Checks a batch of one device's signed records, in sequence order, against the chain state
/// the verifier stored after the previous batch (`None` before the device's first record).
///
/// Records with a bad signature, a wrong device id or malformed bytes are reported and do not
/// move the chain state. Gaps and breaks are reported and move it, because the device did sign
/// those records.
pub fn verify_chain(
    device_id: Uuid,
    public_key: &[u8],
    mut state: Option<ChainState>,
    records: &[&[u8]],
) -> ChainReport {
    let mut findings = Vec::with_capacity(records.len());

    for (index, bytes) in records.iter().enumerate() {
        let signed = match SignedRecord::from_bytes(bytes) {
            Ok(signed) => signed,
            Err(error) => {
                findings.push(ChainFinding {
                    index,
                    sequence: None,
                    record_id: None,
                    status: ChainStatus::Malformed(malformed_detail(error)),
                });
                continue;
            }
        };
        let sequence = Some(signed.record().sequence);
        let record_id = Some(signed.record().record_id);

        let status = match VerifiedRecord::verify(signed, public_key) {
            Ok(verified) => link_record(device_id, &mut state, &verified),
            Err(_) => ChainStatus::BadSignature,
        };
        findings.push(ChainFinding {
            index,
            sequence,
            record_id,
            status,
        });
    }

    ChainReport { findings, state }
}

/// Links a batch of records whose signatures were already verified, in sequence order, against
/// the chain state stored after the previous batch. It gives the same findings as
/// [`verify_chain`] for the same records, and finding `index` is the position in `records`.
///
/// A server verifies the signatures without holding its database, then links the records
/// against the chain state it reads inside its transaction, which needs no key.
pub fn link_verified_chain(
    device_id: Uuid,
    mut state: Option<ChainState>,
    records: &[&VerifiedRecord],
) -> ChainReport {
    let findings = records
        .iter()
        .enumerate()
        .map(|(index, verified)| ChainFinding {
            index,
            sequence: Some(verified.record().sequence),
            record_id: Some(verified.record().record_id),
            status: link_record(device_id, &mut state, verified),
        })
        .collect();
    ChainReport { findings, state }
}

/// Returns the chain status of one verified record and moves `state` on when the record joins
/// the chain.
fn link_record(
    device_id: Uuid,
    state: &mut Option<ChainState>,
    verified: &VerifiedRecord,
) -> ChainStatus {
    let record = verified.record();
    if record.device_id != device_id {
        return ChainStatus::WrongDevice {
            found: record.device_id,
        };
    }

    let hash = verified.hash();
    let (expected_sequence, expected_previous) = match *state {
        Some(last) => (last.sequence + 1, last.hash),
        None => (1, GENESIS_HASH),
    };

    let status = match *state {
        Some(last) if record.sequence == last.sequence && hash == last.hash => {
            ChainStatus::Duplicate
        }
        Some(last) if record.sequence == last.sequence => ChainStatus::Fork {
            sequence: record.sequence,
        },
        Some(last) if record.sequence < last.sequence => ChainStatus::Replay {
            last_sequence: last.sequence,
        },
        _ if record.sequence > expected_sequence => ChainStatus::SequenceGap {
            expected: expected_sequence,
            found: record.sequence,
        },
        _ if record.previous_hash != expected_previous => ChainStatus::ChainBreak {
            expected_previous,
            found_previous: record.previous_hash,
        },
        _ => ChainStatus::Linked,
    };

    if matches!(
        status,
        ChainStatus::Linked | ChainStatus::SequenceGap { .. } | ChainStatus::ChainBreak { .. }
    ) {
        *state = Some(ChainState {
            sequence: record.sequence,
            hash,
        });
    }
    status
}

/// Returns the decode error inside a parse failure of [`SignedRecord::from_bytes`].
fn malformed_detail(error: RecordError) -> DecodeError {
    match error {
        RecordError::Malformed(detail) | RecordError::Invalid(detail) => detail,
        // `from_bytes` returns only `Malformed`; keep any future variant visible.
        other => DecodeError::out_of_range("record", other.to_string()),
    }
}

#[cfg(test)]
pub(crate) mod test {
    use super::*;

    /// A key pair from a fixed seed, so test signatures are reproducible.
    pub(crate) fn test_key_pair(seed_byte: u8) -> Ed25519KeyPair {
        Ed25519KeyPair::from_seed_unchecked(&[seed_byte; 32]).expect("32-byte seed is valid")
    }

    pub(crate) fn sample_record(sequence: u64, previous_hash: [u8; HASH_LEN]) -> AttendanceRecord {
        AttendanceRecord {
            format_version: RECORD_FORMAT_VERSION,
            record_id: Uuid::from_u128(
                0x0193_8f3a_1c00_7000_8000_0000_0000_0000 + u128::from(sequence),
            ),
            device_id: Uuid::from_u128(0x5a1e_0000_0000_4000_8000_0000_0000_0001),
            nip: "199001012015031001".to_string(),
            kind: AttendanceKind::CheckIn,
            wall_clock_ms: 1_796_349_600_000,
            elapsed_ms: 86_400_000,
            boot_id: "b6c1f0d2-0000-4000-8000-000000000001".to_string(),
            trusted_time_ms: 1_796_349_601_250,
            trusted_uncertainty_ms: 420,
            time_source: TimeSource::ServerAnchor,
            // One hour before the check-in: 60 ms half round trip plus 100 ppm of an hour.
            anchor: Some(RecordAnchor {
                server_time_ms: 1_796_346_001_250,
                elapsed_ms: 82_800_000,
                round_trip_uncertainty_ms: 60,
            }),
            zone_offset_minutes: 420,
            location: RecordLocation {
                latitude_e7: -62_000_000,
                longitude_e7: 1_068_166_667,
                accuracy_mm: 8_500,
                fix_time_ms: 1_796_349_599_000,
                provider: "gps".to_string(),
                mock: false,
            },
            geofence: RecordGeofence {
                code: GeofenceCode::Inside,
                office_id: "opd-kominfo".to_string(),
                distance_mm: 12_345,
            },
            face: RecordFace {
                matched: true,
                score_milli: 812,
                liveness_milli: 974,
                active_liveness: ActiveLiveness::Passed,
            },
            reasons: vec![],
            template_id: "tpl-1".to_string(),
            model_ids: vec!["fr_feature.onnx".to_string()],
            sequence,
            previous_hash,
        }
    }

    fn chain(key_pair: &Ed25519KeyPair, count: u64) -> Vec<SignedRecord> {
        let mut previous = GENESIS_HASH;
        (1..=count)
            .map(|sequence| {
                let signed = SignedRecord::sign(&sample_record(sequence, previous), key_pair)
                    .expect("sample is valid");
                previous = signed.hash();
                signed
            })
            .collect()
    }

    fn public_key(key_pair: &Ed25519KeyPair) -> Vec<u8> {
        use ring::signature::KeyPair;
        key_pair.public_key().as_ref().to_vec()
    }

    #[test]
    fn encode_decode_round_trip() {
        let record = sample_record(1, GENESIS_HASH);
        let bytes = record.encode().expect("sample is valid");
        assert_eq!(AttendanceRecord::decode(&bytes), Ok(record));
    }

    #[test]
    fn signed_record_verifies() {
        let key_pair = test_key_pair(7);
        let signed = SignedRecord::sign(&sample_record(1, GENESIS_HASH), &key_pair)
            .expect("sample is valid");
        let verified =
            verify_record(signed.as_bytes(), &public_key(&key_pair)).expect("signature verifies");
        assert_eq!(verified.record(), signed.record());
    }

    #[test]
    fn every_changed_byte_breaks_verification() {
        let key_pair = test_key_pair(7);
        let signed = SignedRecord::sign(&sample_record(1, GENESIS_HASH), &key_pair)
            .expect("sample is valid");
        let key = public_key(&key_pair);
        for position in 0..signed.as_bytes().len() {
            let mut bytes = signed.as_bytes().to_vec();
            bytes[position] ^= 0x01;
            let result = verify_record(&bytes, &key);
            assert!(result.is_err(), "flipping byte {position} still verifies");
        }
    }

    #[test]
    fn other_key_is_bad_signature() {
        let signed = SignedRecord::sign(&sample_record(1, GENESIS_HASH), &test_key_pair(7))
            .expect("sample is valid");
        let result = verify_record(signed.as_bytes(), &public_key(&test_key_pair(8)));
        assert_eq!(result, Err(RecordError::BadSignature));
    }

    #[test]
    fn decode_rejects_non_canonical() {
        let bytes = sample_record(1, GENESIS_HASH)
            .encode()
            .expect("sample is valid");

        let mut trailing = bytes.clone();
        trailing.push(0);
        assert_eq!(
            AttendanceRecord::decode(&trailing)
                .expect_err("trailing byte")
                .field,
            "end"
        );

        // The mock flag is the byte after the provider string "gps".
        let mock_position = bytes
            .windows(3)
            .position(|window| window == b"gps")
            .expect("provider present")
            + 3;
        let mut bad_bool = bytes.clone();
        bad_bool[mock_position] = 2;
        assert_eq!(
            AttendanceRecord::decode(&bad_bool)
                .expect_err("bool 2")
                .field,
            "mock"
        );

        let truncated = &bytes[..bytes.len() - 1];
        assert_eq!(
            AttendanceRecord::decode(truncated)
                .expect_err("short")
                .field,
            "previous_hash"
        );
    }

    #[test]
    fn validation_names_field() {
        let mut record = sample_record(1, GENESIS_HASH);
        record.nip = "12345".to_string();
        let error = record.encode().expect_err("short NIP");
        assert!(
            matches!(
                error,
                RecordError::Invalid(DecodeError { field: "nip", .. })
            ),
            "{error:?}"
        );

        let mut record = sample_record(1, GENESIS_HASH);
        record.location.latitude_e7 = 900_000_001;
        let error = record.encode().expect_err("latitude beyond the pole");
        assert!(
            matches!(
                error,
                RecordError::Invalid(DecodeError {
                    field: "latitude_e7",
                    ..
                })
            ),
            "{error:?}"
        );

        let mut record = sample_record(1, GENESIS_HASH);
        record.record_id = Uuid::from_u128(1);
        let error = record.encode().expect_err("not a UUIDv7");
        assert!(
            matches!(
                error,
                RecordError::Invalid(DecodeError {
                    field: "record_id",
                    ..
                })
            ),
            "{error:?}"
        );
    }

    #[test]
    fn wall_clock_record_round_trips() {
        let mut record = sample_record(1, GENESIS_HASH);
        record.time_source = TimeSource::WallClock;
        record.anchor = None;
        let bytes = record.encode().expect("wall-clock record is valid");
        let anchored = sample_record(1, GENESIS_HASH)
            .encode()
            .expect("sample is valid");
        assert_eq!(
            anchored.len() - bytes.len(),
            8 + 8 + 4,
            "only an anchored record carries the anchor fields"
        );
        assert_eq!(AttendanceRecord::decode(&bytes), Ok(record));
    }

    #[test]
    fn anchor_must_match_time_source() {
        let mut without_anchor = sample_record(1, GENESIS_HASH);
        without_anchor.anchor = None;
        let error = without_anchor
            .validate()
            .expect_err("anchored time without anchor");
        assert_eq!(error.field, "anchor");

        let mut wall_clock_with_anchor = sample_record(1, GENESIS_HASH);
        wall_clock_with_anchor.time_source = TimeSource::WallClock;
        let error = wall_clock_with_anchor
            .validate()
            .expect_err("wall clock with an anchor");
        assert_eq!(error.field, "anchor");

        let mut negative = sample_record(1, GENESIS_HASH);
        if let Some(anchor) = negative.anchor.as_mut() {
            anchor.elapsed_ms = -1;
        }
        let error = negative.validate().expect_err("negative anchor elapsed");
        assert_eq!(error.field, "anchor_elapsed_ms");
    }

    #[test]
    fn version_1_is_rejected() {
        let mut bytes = sample_record(1, GENESIS_HASH)
            .encode()
            .expect("sample is valid");
        // The version is the big-endian u16 after the 4-byte magic.
        bytes[4..6].copy_from_slice(&1u16.to_be_bytes());
        let error = AttendanceRecord::decode(&bytes).expect_err("version 1");
        assert_eq!(error.field, "format_version");
        assert_eq!(
            error.problem,
            DecodeProblem::UnsupportedVersion {
                found: 1,
                supported: 2
            }
        );
    }

    #[test]
    fn linking_verified_records_matches_verify_chain() {
        let key_pair = test_key_pair(7);
        let key = public_key(&key_pair);
        let mut records = chain(&key_pair, 6);
        records.remove(2);
        records.push(records[1].clone());
        let device_id = records[0].record().device_id;

        let bytes: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
        let expected = verify_chain(device_id, &key, None, &bytes);

        let verified: Vec<VerifiedRecord> = records
            .iter()
            .map(|signed| VerifiedRecord::verify(signed.clone(), &key).expect("signed by key"))
            .collect();
        let references: Vec<&VerifiedRecord> = verified.iter().collect();
        let linked = link_verified_chain(device_id, None, &references);
        assert_eq!(linked, expected);
        assert!(
            matches!(linked.findings[2].status, ChainStatus::SequenceGap { .. }),
            "{:?}",
            linked.findings[2]
        );
    }

    #[test]
    fn verified_record_needs_the_key() {
        let signed = SignedRecord::sign(&sample_record(1, GENESIS_HASH), &test_key_pair(7))
            .expect("sample is valid");
        let result = VerifiedRecord::verify(signed, &public_key(&test_key_pair(8)));
        assert_eq!(result, Err(RecordError::BadSignature));
    }

    #[test]
    fn clean_chain_links() {
        let key_pair = test_key_pair(7);
        let records = chain(&key_pair, 5);
        let bytes: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
        let device_id = records[0].record().device_id;
        let report = verify_chain(device_id, &public_key(&key_pair), None, &bytes);
        assert!(report.is_clean(), "{:?}", report.findings);
        assert_eq!(
            report.state,
            Some(ChainState {
                sequence: 5,
                hash: records[4].hash()
            })
        );
    }

    #[test]
    fn deleted_record_is_gap() {
        let key_pair = test_key_pair(7);
        let records = chain(&key_pair, 5);
        let bytes: Vec<&[u8]> = records
            .iter()
            .filter(|signed| signed.record().sequence != 3)
            .map(|signed| signed.as_bytes())
            .collect();
        let report = verify_chain(
            records[0].record().device_id,
            &public_key(&key_pair),
            None,
            &bytes,
        );
        let statuses: Vec<_> = report
            .findings
            .iter()
            .map(|finding| finding.status.clone())
            .collect();
        assert_eq!(
            statuses,
            vec![
                ChainStatus::Linked,
                ChainStatus::Linked,
                ChainStatus::SequenceGap {
                    expected: 3,
                    found: 4
                },
                ChainStatus::Linked
            ]
        );
    }

    #[test]
    fn replayed_record_is_detected() {
        let key_pair = test_key_pair(7);
        let records = chain(&key_pair, 3);
        let key = public_key(&key_pair);
        let device_id = records[0].record().device_id;
        let first: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
        let state = verify_chain(device_id, &key, None, &first).state;

        let again = [records[1].as_bytes(), records[2].as_bytes()];
        let report = verify_chain(device_id, &key, state, &again);
        assert_eq!(
            report.findings[0].status,
            ChainStatus::Replay { last_sequence: 3 }
        );
        assert_eq!(report.findings[1].status, ChainStatus::Duplicate);
        assert_eq!(report.state, state, "replays do not move the chain state");
    }

    #[test]
    fn substituted_record_breaks_chain() {
        let key_pair = test_key_pair(7);
        let mut records = chain(&key_pair, 3);
        // The device key re-signs a changed record 2 (someone with the unwrapped key), but
        // record 3 still carries the hash of the original record 2.
        let mut changed = records[1].record().clone();
        changed.wall_clock_ms -= 3_600_000;
        records[1] = SignedRecord::sign(&changed, &key_pair).expect("valid");
        let bytes: Vec<&[u8]> = records.iter().map(|signed| signed.as_bytes()).collect();
        let report = verify_chain(
            records[0].record().device_id,
            &public_key(&key_pair),
            None,
            &bytes,
        );
        assert!(
            matches!(report.findings[2].status, ChainStatus::ChainBreak { .. }),
            "{:?}",
            report.findings[2]
        );
    }

    #[test]
    fn chain_flags_signature_device_and_fork() {
        let key_pair = test_key_pair(7);
        let records = chain(&key_pair, 2);
        let key = public_key(&key_pair);
        let device_id = records[0].record().device_id;

        let mut tampered = records[1].as_bytes().to_vec();
        tampered[65] ^= 0x80; // inside wall_clock_ms, so the bytes still decode
        let report = verify_chain(device_id, &key, None, &[records[0].as_bytes(), &tampered]);
        assert_eq!(report.findings[1].status, ChainStatus::BadSignature);

        let report = verify_chain(Uuid::from_u128(99), &key, None, &[records[0].as_bytes()]);
        assert!(matches!(
            report.findings[0].status,
            ChainStatus::WrongDevice { .. }
        ));

        let mut other = records[1].record().clone();
        other.kind = AttendanceKind::CheckOut;
        let fork = SignedRecord::sign(&other, &key_pair).expect("valid");
        let report = verify_chain(
            device_id,
            &key,
            None,
            &[
                records[0].as_bytes(),
                records[1].as_bytes(),
                fork.as_bytes(),
            ],
        );
        assert_eq!(report.findings[2].status, ChainStatus::Fork { sequence: 2 });

        let report = verify_chain(device_id, &key, None, &[b"not a record".as_slice()]);
        assert!(matches!(
            report.findings[0].status,
            ChainStatus::Malformed(_)
        ));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn arbitrary_record() -> impl Strategy<Value = AttendanceRecord> {
            (
                (
                    any::<i64>(),
                    0..i64::MAX,
                    any::<i64>(),
                    any::<u32>(),
                    -720i16..=840,
                    any::<bool>(),
                ),
                (
                    -900_000_000i32..=900_000_000,
                    -1_800_000_000i32..=1_800_000_000,
                    any::<u32>(),
                    any::<i64>(),
                    "[a-z]{0,12}",
                ),
                (
                    0u8..4,
                    "\\PC{0,20}",
                    any::<i64>(),
                    -1000i32..=1000,
                    0i32..=1000,
                    0u8..3,
                ),
                (
                    proptest::collection::vec("[a-z._]{1,30}", 0..5),
                    2u64..u64::MAX,
                    any::<[u8; 32]>(),
                    proptest::option::of((any::<i64>(), 0..i64::MAX, any::<u32>())),
                ),
            )
                .prop_map(|(time, location, verdicts, chain)| {
                    let mut record = sample_record(1, GENESIS_HASH);
                    record.kind = if time.5 {
                        AttendanceKind::CheckIn
                    } else {
                        AttendanceKind::CheckOut
                    };
                    record.wall_clock_ms = time.0;
                    record.elapsed_ms = time.1;
                    record.trusted_time_ms = time.2;
                    record.trusted_uncertainty_ms = time.3;
                    record.zone_offset_minutes = time.4;
                    record.location = RecordLocation {
                        latitude_e7: location.0,
                        longitude_e7: location.1,
                        accuracy_mm: location.2,
                        fix_time_ms: location.3,
                        provider: location.4,
                        mock: !time.5,
                    };
                    record.geofence = RecordGeofence {
                        code: GeofenceCode::from_code(verdicts.0).expect("0..4 are codes"),
                        office_id: verdicts.1,
                        distance_mm: verdicts.2,
                    };
                    record.face = RecordFace {
                        matched: time.5,
                        score_milli: verdicts.3,
                        liveness_milli: verdicts.4,
                        active_liveness: ActiveLiveness::from_code(verdicts.5)
                            .expect("0..3 are codes"),
                    };
                    record.reasons = chain.0;
                    record.sequence = chain.1;
                    record.previous_hash = chain.2;
                    record.anchor =
                        chain.3.map(
                            |(server_time_ms, elapsed_ms, uncertainty_ms)| RecordAnchor {
                                server_time_ms,
                                elapsed_ms,
                                round_trip_uncertainty_ms: uncertainty_ms,
                            },
                        );
                    record.time_source = if record.anchor.is_some() {
                        TimeSource::ServerAnchor
                    } else {
                        TimeSource::WallClock
                    };
                    record
                })
        }

        proptest! {
            #[test]
            fn any_valid_record_round_trips(record in arbitrary_record()) {
                let bytes = record.encode().expect("generated records are valid");
                prop_assert_eq!(AttendanceRecord::decode(&bytes), Ok(record));
            }

            #[test]
            fn decoded_bytes_are_canonical(record in arbitrary_record(), position in any::<usize>(), value in any::<u8>()) {
                // Whatever a changed encoding decodes to, encoding it again gives the same bytes:
                // no two byte strings decode to one record.
                let mut bytes = record.encode().expect("generated records are valid");
                let index = position % bytes.len();
                bytes[index] = value;
                if let Ok(decoded) = AttendanceRecord::decode(&bytes) {
                    prop_assert_eq!(decoded.encode().expect("decoded records are valid"), bytes);
                }
            }

            #[test]
            fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
                let _ = SignedRecord::from_bytes(&bytes);
                let mut prefixed = b"SPRC\x00\x02".to_vec();
                prefixed.extend_from_slice(&bytes);
                let _ = AttendanceRecord::decode(&prefixed);
            }
        }
    }
}
