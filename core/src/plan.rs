//! The daily work plan (rencana kerja harian) an ASN keeps on the phone: items with a title,
//! expected output, optional time window, status and note.
//!
//! Each save is a new revision with a number and a trusted-time stamp, signed by the device
//! key like a record (canonical bytes documented in docs/PROTOCOL.md), so that the server can
//! tell which version the ASN wrote and when. Only the plan of the current attendance day can
//! be changed, and only until a configurable local cutoff time in the office zone.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use ring::signature::{ED25519, Ed25519KeyPair, UnparsedPublicKey};
use uuid::Uuid;

use crate::record::{PUBLIC_KEY_LEN, SIGNATURE_LEN, validate_nip};
use crate::time::{TimeError, utc_from_ms};
use crate::wire::{DecodeError, DecodeProblem, Reader, Writer, check_length};

/// Magic prefix of an encoded plan revision.
pub const PLAN_MAGIC: [u8; 4] = *b"SPPR";
/// Format version this code writes and reads.
pub const PLAN_FORMAT_VERSION: u16 = 1;
/// Maximum number of items in one plan.
pub const MAX_ITEMS: usize = 50;
/// Maximum length of an item title in bytes.
pub const MAX_TITLE_LEN: usize = 200;
/// Maximum length of an expected output in bytes.
pub const MAX_OUTPUT_LEN: usize = 500;
/// Maximum length of a note in bytes.
pub const MAX_NOTE_LEN: usize = 1000;
/// Minutes in a day; time-window minutes lie in `0..=MINUTES_PER_DAY`.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// Realisation status of a plan item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PlanStatus {
    /// Planned, not yet reported on.
    Planned = 1,
    /// Done.
    Done = 2,
    /// Not done, with the reason in the note.
    NotDone = 3,
}

impl PlanStatus {
    /// Returns the status for a wire code, or `None` for an unknown code.
    pub fn from_code(code: u8) -> Option<PlanStatus> {
        match code {
            1 => Some(PlanStatus::Planned),
            2 => Some(PlanStatus::Done),
            3 => Some(PlanStatus::NotDone),
            _ => None,
        }
    }

    /// Returns the lowercase name used in JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            PlanStatus::Planned => "planned",
            PlanStatus::Done => "done",
            PlanStatus::NotDone => "not_done",
        }
    }

    /// Parses a name as [`PlanStatus::name`] returns it.
    pub fn from_name(name: &str) -> Option<PlanStatus> {
        match name {
            "planned" => Some(PlanStatus::Planned),
            "done" => Some(PlanStatus::Done),
            "not_done" => Some(PlanStatus::NotDone),
            _ => None,
        }
    }
}

/// A local time window of an item, in minutes after local midnight in the office zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Start, minutes after midnight.
    pub start_minute: u16,
    /// End, minutes after midnight, after `start_minute`, at most 1440.
    pub end_minute: u16,
}

/// One item of a work plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    /// Title of the activity, not blank.
    pub title: String,
    /// Expected output of the activity (a report, a letter, a number of services).
    pub expected_output: String,
    /// When, if the item has a fixed time.
    pub window: Option<TimeWindow>,
    /// Realisation status.
    pub status: PlanStatus,
    /// Free note, for example why an item was not done.
    pub note: String,
}

/// One saved version of an ASN's plan for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRevision {
    /// Device that signed the revision.
    pub device_id: Uuid,
    /// NIP of the ASN, 18 digits.
    pub nip: String,
    /// The attendance day the plan is for.
    pub day: NaiveDate,
    /// Revision number for this NIP and day, starting at 1.
    pub revision: u32,
    /// Trusted time of the save, ms since the Unix epoch.
    pub created_ms: i64,
    /// The items, in the order the ASN arranged them.
    pub items: Vec<PlanItem>,
}

/// Errors of editing, encoding and verifying plans.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A field value the protocol does not allow.
    #[error(transparent)]
    Invalid(#[from] DecodeError),
    /// The bytes are not a canonical signed plan revision.
    #[error("malformed plan revision: {0}")]
    Malformed(DecodeError),
    /// The signature does not verify with the device public key.
    #[error("plan revision signature does not verify with the device public key")]
    BadSignature,
    /// A public key of the wrong length.
    #[error("public key is {0} bytes; an Ed25519 public key is 32 bytes")]
    BadPublicKeyLength(usize),
    /// The plan is for another day than today's attendance day (`plan.not_today`).
    #[error("the plan for {day} cannot be changed on {today}; only today's plan can be edited")]
    NotToday { day: NaiveDate, today: NaiveDate },
    /// Today's cutoff has passed (`plan.past_cutoff`).
    #[error("today's plan can be changed until {cutoff} local time, and that has passed")]
    PastCutoff { cutoff: NaiveTime },
    /// A time that cannot be converted.
    #[error(transparent)]
    Time(#[from] TimeError),
}

impl PlanError {
    /// Returns the message catalog id to show the ASN, if the error is theirs to act on.
    pub fn message_id(&self) -> Option<&'static str> {
        match self {
            PlanError::NotToday { .. } => Some("plan.not_today"),
            PlanError::PastCutoff { .. } => Some("plan.past_cutoff"),
            PlanError::Invalid(DecodeError { field: "title", .. }) => Some("plan.empty_title"),
            _ => None,
        }
    }
}

/// Default local cutoff for changing today's plan: the end of the day, so the ASN can still
/// report realisation after work.
pub fn default_cutoff() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 0).expect("23:59 is a valid time")
}

/// Checks that the plan for `day` may be changed at trusted time `now_ms`: `day` must be the
/// attendance day of `now_ms` in `zone`, and the local time must be before `cutoff`.
pub fn check_editable(
    day: NaiveDate,
    now_ms: i64,
    zone: Tz,
    cutoff: NaiveTime,
) -> Result<(), PlanError> {
    let local = utc_from_ms(now_ms)?.with_timezone(&zone);
    let today = local.date_naive();
    if day != today {
        return Err(PlanError::NotToday { day, today });
    }
    if local.time() >= cutoff {
        return Err(PlanError::PastCutoff { cutoff });
    }
    Ok(())
}

impl PlanRevision {
    /// Checks every field against the limits of the protocol, naming the first bad field.
    pub fn validate(&self) -> Result<(), DecodeError> {
        validate_nip(&self.nip)?;
        if self.revision == 0 {
            return Err(DecodeError::out_of_range(
                "revision",
                "revision numbers start at 1",
            ));
        }
        check_length("items", self.items.len(), MAX_ITEMS)?;
        for item in &self.items {
            if item.title.trim().is_empty() {
                return Err(DecodeError::out_of_range("title", "an item needs a title"));
            }
            check_length("title", item.title.len(), MAX_TITLE_LEN)?;
            check_length(
                "expected_output",
                item.expected_output.len(),
                MAX_OUTPUT_LEN,
            )?;
            check_length("note", item.note.len(), MAX_NOTE_LEN)?;
            if let Some(window) = item.window
                && (window.start_minute >= window.end_minute || window.end_minute > MINUTES_PER_DAY)
            {
                return Err(DecodeError::out_of_range(
                    "window",
                    format!(
                        "{}..{} must satisfy start < end <= {MINUTES_PER_DAY}",
                        window.start_minute, window.end_minute
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Encodes the revision: the bytes the signature covers.
    pub fn encode(&self) -> Result<Vec<u8>, PlanError> {
        self.validate()?;

        let mut writer = Writer::new(&PLAN_MAGIC, PLAN_FORMAT_VERSION);
        writer.uuid(&self.device_id);
        writer.string(&self.nip);
        writer.i32(days_since_epoch(self.day));
        writer.u32(self.revision);
        writer.i64(self.created_ms);
        writer.u32(self.items.len() as u32);
        for item in &self.items {
            writer.string(&item.title);
            writer.string(&item.expected_output);
            match item.window {
                Some(window) => {
                    writer.bool(true);
                    writer.u16(window.start_minute);
                    writer.u16(window.end_minute);
                }
                None => writer.bool(false),
            }
            writer.u8(item.status as u8);
            writer.string(&item.note);
        }
        Ok(writer.finish())
    }

    /// Decodes a revision, rejecting any byte string [`PlanRevision::encode`] would not produce.
    pub fn decode(bytes: &[u8]) -> Result<PlanRevision, DecodeError> {
        let mut reader = Reader::new(bytes, &PLAN_MAGIC, PLAN_FORMAT_VERSION)?;
        let device_id = reader.uuid("device_id")?;
        let nip = reader.string("nip", crate::record::NIP_LEN)?;
        let day_number = reader.i32("day")?;
        let day = day_from_epoch(day_number).ok_or_else(|| {
            DecodeError::out_of_range("day", format!("day number {day_number} is out of range"))
        })?;
        let revision = reader.u32("revision")?;
        let created_ms = reader.i64("created_ms")?;

        let count = reader.u32("items")? as usize;
        check_length("items", count, MAX_ITEMS)?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            let title = reader.string("title", MAX_TITLE_LEN)?;
            let expected_output = reader.string("expected_output", MAX_OUTPUT_LEN)?;
            let window = if reader.bool("window")? {
                Some(TimeWindow {
                    start_minute: reader.u16("window")?,
                    end_minute: reader.u16("window")?,
                })
            } else {
                None
            };
            let status_code = reader.u8("status")?;
            let status = PlanStatus::from_code(status_code).ok_or(DecodeError::new(
                "status",
                DecodeProblem::UnknownCode(status_code),
            ))?;
            let note = reader.string("note", MAX_NOTE_LEN)?;
            items.push(PlanItem {
                title,
                expected_output,
                window,
                status,
                note,
            });
        }
        reader.finish()?;

        let revision = PlanRevision {
            device_id,
            nip,
            day,
            revision,
            created_ms,
            items,
        };
        revision.validate()?;
        Ok(revision)
    }
}

/// Returns the number of days from 1970-01-01 to `day`, as the encoding stores it.
pub fn days_since_epoch(day: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    (day - epoch).num_days() as i32
}

fn day_from_epoch(days: i32) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    epoch.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

/// A plan revision with the device signature: body then the 64-byte signature of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPlanRevision {
    revision: PlanRevision,
    bytes: Vec<u8>,
}

impl SignedPlanRevision {
    /// Encodes and signs `revision` with the device key.
    pub fn sign(
        revision: &PlanRevision,
        key_pair: &Ed25519KeyPair,
    ) -> Result<SignedPlanRevision, PlanError> {
        let mut bytes = revision.encode()?;
        let signature = key_pair.sign(&bytes);
        bytes.extend_from_slice(signature.as_ref());
        Ok(SignedPlanRevision {
            revision: revision.clone(),
            bytes,
        })
    }

    /// Parses signed bytes without checking the signature.
    pub fn from_bytes(bytes: &[u8]) -> Result<SignedPlanRevision, PlanError> {
        if bytes.len() < SIGNATURE_LEN {
            return Err(PlanError::Malformed(DecodeError::new(
                "signature",
                DecodeProblem::Truncated {
                    needed: SIGNATURE_LEN,
                    available: bytes.len(),
                },
            )));
        }
        let revision = PlanRevision::decode(&bytes[..bytes.len() - SIGNATURE_LEN])
            .map_err(PlanError::Malformed)?;
        Ok(SignedPlanRevision {
            revision,
            bytes: bytes.to_vec(),
        })
    }

    /// Returns the decoded revision.
    pub fn revision(&self) -> &PlanRevision {
        &self.revision
    }

    /// Returns the signed bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Checks the signature against a device public key (32 bytes).
    pub fn verify(&self, public_key: &[u8]) -> Result<(), PlanError> {
        if public_key.len() != PUBLIC_KEY_LEN {
            return Err(PlanError::BadPublicKeyLength(public_key.len()));
        }
        let (body, signature) = self.bytes.split_at(self.bytes.len() - SIGNATURE_LEN);
        UnparsedPublicKey::new(&ED25519, public_key)
            .verify(body, signature)
            .map_err(|_| PlanError::BadSignature)
    }
}

#[cfg(test)]
pub(crate) mod test {
    use super::*;
    use chrono::DateTime;
    use ring::signature::KeyPair;

    pub(crate) fn sample_plan(revision: u32) -> PlanRevision {
        PlanRevision {
            device_id: Uuid::from_u128(0x5a1e_0000_0000_4000_8000_0000_0000_0001),
            nip: "199001012015031001".to_string(),
            day: NaiveDate::from_ymd_opt(2026, 12, 5).expect("date"),
            revision,
            created_ms: 1_796_428_800_000,
            items: vec![
                PlanItem {
                    title: "Verifikasi berkas kenaikan pangkat".to_string(),
                    expected_output: "12 berkas terverifikasi".to_string(),
                    window: Some(TimeWindow {
                        start_minute: 8 * 60,
                        end_minute: 11 * 60 + 30,
                    }),
                    status: PlanStatus::Planned,
                    note: String::new(),
                },
                PlanItem {
                    title: "Rapat koordinasi OPD".to_string(),
                    expected_output: "Notulen rapat".to_string(),
                    window: None,
                    status: PlanStatus::Done,
                    note: "selesai lebih awal".to_string(),
                },
            ],
        }
    }

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .expect("timestamp")
            .timestamp_millis()
    }

    #[test]
    fn plan_round_trip_and_signature() {
        let key_pair = Ed25519KeyPair::from_seed_unchecked(&[5; 32]).expect("seed");
        let signed = SignedPlanRevision::sign(&sample_plan(1), &key_pair).expect("valid plan");
        let parsed = SignedPlanRevision::from_bytes(signed.as_bytes()).expect("decodes");
        assert_eq!(parsed.revision(), &sample_plan(1));
        parsed
            .verify(key_pair.public_key().as_ref())
            .expect("verifies");

        let mut bytes = signed.as_bytes().to_vec();
        bytes[30] ^= 1;
        let changed = SignedPlanRevision::from_bytes(&bytes);
        let failed = changed.map(|changed| changed.verify(key_pair.public_key().as_ref()));
        assert!(
            !matches!(failed, Ok(Ok(()))),
            "a changed byte must not verify"
        );
    }

    #[test]
    fn blank_title_is_rejected() {
        let mut plan = sample_plan(1);
        plan.items[0].title = "  ".to_string();
        let error = plan.encode().expect_err("blank title");
        assert_eq!(error.message_id(), Some("plan.empty_title"));
    }

    #[test]
    fn bad_window_is_rejected() {
        let mut plan = sample_plan(1);
        plan.items[0].window = Some(TimeWindow {
            start_minute: 600,
            end_minute: 540,
        });
        let error = plan.encode().expect_err("window ends before it starts");
        assert!(
            matches!(
                error,
                PlanError::Invalid(DecodeError {
                    field: "window",
                    ..
                })
            ),
            "{error:?}"
        );
    }

    #[test]
    fn editable_today_until_cutoff() {
        let zone = Tz::Asia__Jayapura;
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let cutoff = NaiveTime::from_hms_opt(16, 0, 0).expect("time");

        // 07:30 WIT on the 5th is 22:30 UTC on the 4th: today in Jayapura.
        assert_eq!(
            check_editable(day, ms("2026-12-04T22:30:00Z"), zone, cutoff),
            Ok(())
        );
        // 16:00 WIT on the 5th: the cutoff has passed.
        let late = check_editable(day, ms("2026-12-05T07:00:00Z"), zone, cutoff);
        assert_eq!(late, Err(PlanError::PastCutoff { cutoff }));
        // 08:00 WIT on the 6th: yesterday's plan is closed.
        let next_day = check_editable(day, ms("2026-12-05T23:00:00Z"), zone, cutoff);
        assert!(
            matches!(next_day, Err(PlanError::NotToday { .. })),
            "{next_day:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn changed_plan_bytes_stay_canonical(position in proptest::prelude::any::<usize>(), value in proptest::prelude::any::<u8>()) {
            let mut bytes = sample_plan(1).encode().expect("valid plan");
            let index = position % bytes.len();
            bytes[index] = value;
            if let Ok(decoded) = PlanRevision::decode(&bytes) {
                proptest::prop_assert_eq!(decoded.encode().expect("decoded plans are valid"), bytes);
            }
        }
    }
}
