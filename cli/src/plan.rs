//! `siperlu device plan`: saves and shows an ASN's daily work plan (rencana kerja harian) in a
//! simulated phone's store.
//!
//! The plan's day is the attendance day of trusted time in the office zone; each `set` saves a
//! new signed revision of the whole plan, and only today's plan can be changed before the cutoff.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use siperlu_core::device::DeviceConfig;
use siperlu_core::messages::{self, Locale};
use siperlu_core::plan::{self, PlanItem, PlanStatus, SignedPlanRevision, TimeWindow};
use siperlu_core::store::{RefusedPlan, Store, StoreError};
use siperlu_core::time::{self, TimePolicy};

use crate::device::{clock_reading, open_device_store};

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Save today's plan as a new signed revision (replaces the item list).
    Set(SetArgs),
    /// Show the latest revision of a day's plan.
    Show(ShowArgs),
}

#[derive(Args)]
pub struct SetArgs {
    /// Device data folder.
    #[arg(long)]
    data_dir: PathBuf,
    /// NIP of the ASN (18 digits).
    #[arg(long)]
    nip: String,
    /// Office zone: WIB, WITA, WIT or an IANA name such as Asia/Makassar [default: the stored
    /// configuration's home office zone, or WIB before any configuration].
    #[arg(long)]
    zone: Option<String>,
    /// Local time (HH:MM) after which today's plan can no longer be changed [default: the
    /// stored configuration's cutoff, or 23:59].
    #[arg(long)]
    cutoff: Option<String>,
    /// One item as "TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE"; every part after the title
    /// may be empty or left out. STATUS is planned (default), done or not_done. Repeat per item.
    #[arg(long = "item", required = true)]
    items: Vec<String>,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print the saved revision as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Device data folder.
    #[arg(long)]
    data_dir: PathBuf,
    /// NIP of the ASN (18 digits).
    #[arg(long)]
    nip: String,
    /// Day as YYYY-MM-DD; today's attendance day in the office zone when left out.
    #[arg(long)]
    day: Option<String>,
    /// Office zone: WIB, WITA, WIT or an IANA name [default: the stored configuration's home
    /// office zone, or WIB before any configuration].
    #[arg(long)]
    zone: Option<String>,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print the revision as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: PlanCommand) -> anyhow::Result<()> {
    match command {
        PlanCommand::Set(args) => set(args),
        PlanCommand::Show(args) => show(args),
    }
}

fn set(args: SetArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let items = args
        .items
        .iter()
        .enumerate()
        .map(|(index, text)| parse_item(text, index + 1, locale))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(index) = items.iter().position(|item| item.title.is_empty()) {
        bail!(
            "{}",
            messages::format(
                "plan.empty_title",
                locale,
                &[("index", &(index + 1).to_string())]
            )
        );
    }

    let mut store = open_device_store(&args.data_dir)?;
    let config = stored_config(&store)?;
    let zone = time::parse_office_zone(&plan_zone_name(args.zone.as_deref(), config.as_ref()))?;
    let cutoff = match &args.cutoff {
        Some(text) => NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| {
            anyhow!(
                "{}",
                messages::format("plan.invalid_cutoff", locale, &[("value", text)])
            )
        })?,
        None => config
            .as_ref()
            .map(|config| config.plan_cutoff)
            .unwrap_or_else(plan::default_cutoff),
    };
    let cutoff_text = cutoff.format("%H:%M").to_string();
    // Without an anchor for this boot, trusted time is the wall clock, as for records.
    let anchor = store.latest_time_anchor()?;
    let trusted = time::estimate_trusted_time(
        &clock_reading()?,
        anchor.as_ref(),
        None,
        &TimePolicy::default(),
    );
    let day = time::attendance_day(trusted.time_ms, zone)?;

    let saved = match store.save_plan(&args.nip, day, items, trusted.time_ms, zone, cutoff) {
        Ok(saved) => saved,
        Err(StoreError::Plan(error)) => {
            let text = match error.message_id() {
                Some(id) => messages::format(
                    id,
                    locale,
                    &[("day", &day.to_string()), ("cutoff", &cutoff_text)],
                ),
                None => error.to_string(),
            };
            bail!("{text}");
        }
        Err(StoreError::OtherNip) => {
            bail!("{}", messages::format("plan.other_nip", locale, &[]))
        }
        Err(error) => return Err(error.into()),
    };
    print_revision(&saved, None, args.json)
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let store = open_device_store(&args.data_dir)?;
    let config = stored_config(&store)?;
    let zone = time::parse_office_zone(&plan_zone_name(args.zone.as_deref(), config.as_ref()))?;
    let day = match &args.day {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            anyhow!(
                "{}",
                messages::format("plan.invalid_day", args.locale, &[("value", text)])
            )
        })?,
        None => {
            let anchor = store.latest_time_anchor()?;
            let trusted = time::estimate_trusted_time(
                &clock_reading()?,
                anchor.as_ref(),
                None,
                &TimePolicy::default(),
            );
            time::attendance_day(trusted.time_ms, zone)?
        }
    };
    let Some(latest) = store.latest_plan(&args.nip, day)? else {
        bail!(
            "{}",
            messages::format("plan.none_saved", args.locale, &[("day", &day.to_string())])
        );
    };
    let number = latest.revision().revision;
    // NOTE: only the 1 000 latest refusals are searched; a phone gets at most a few a day.
    let refused = store.refused_plans(1_000)?.into_iter().find(|refused| {
        refused.nip == args.nip && refused.day == day && refused.revision == number
    });
    print_revision(&latest, refused.as_ref(), args.json)
}

/// The configuration stored on the phone, if any.
fn stored_config(store: &Store) -> anyhow::Result<Option<DeviceConfig>> {
    let Some(payload) = store.load_config()? else {
        return Ok(None);
    };
    Ok(Some(
        DeviceConfig::from_json_bytes(&payload).context("the stored configuration is damaged")?,
    ))
}

/// Name of the zone plans are dated in: `--zone`, else the configuration's home office zone,
/// else WIB.
fn plan_zone_name(option: Option<&str>, config: Option<&DeviceConfig>) -> String {
    match (option, config) {
        (Some(name), _) => name.to_string(),
        (None, Some(config)) => config.home_zone().tz_name().to_string(),
        (None, None) => "WIB".to_string(),
    }
}

/// Parses item number `number` (from 1), written as "TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE".
/// Errors are catalog texts in `locale` that name the item by its number.
fn parse_item(text: &str, number: usize, locale: Locale) -> anyhow::Result<PlanItem> {
    let number_text = number.to_string();
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    if parts.len() > 5 {
        bail!(
            "{}",
            messages::format(
                "plan.item_parts",
                locale,
                &[("index", &number_text), ("count", &parts.len().to_string())]
            )
        );
    }
    let part = |index: usize| parts.get(index).copied().unwrap_or("");

    let window = match part(2) {
        "" => None,
        range => Some(parse_window(range).ok_or_else(|| {
            anyhow!(
                "{}",
                messages::format(
                    "plan.invalid_window",
                    locale,
                    &[("index", &number_text), ("window", range)]
                )
            )
        })?),
    };
    let status = match part(3) {
        "" => PlanStatus::Planned,
        name => PlanStatus::from_name(name).ok_or_else(|| {
            anyhow!(
                "{}",
                messages::format(
                    "plan.invalid_status",
                    locale,
                    &[("index", &number_text), ("status", name)]
                )
            )
        })?,
    };
    Ok(PlanItem {
        title: part(0).to_string(),
        expected_output: part(1).to_string(),
        window,
        status,
        note: part(4).to_string(),
    })
}

/// Parses "HH:MM-HH:MM" into a window that starts before it ends; the end may be 24:00.
fn parse_window(range: &str) -> Option<TimeWindow> {
    let (start, end) = range.split_once('-')?;
    let window = TimeWindow {
        start_minute: minutes_after_midnight(start.trim())?,
        end_minute: minutes_after_midnight(end.trim())?,
    };
    (window.start_minute < window.end_minute).then_some(window)
}

/// Minutes after local midnight of "HH:MM", or 1440 for "24:00".
fn minutes_after_midnight(text: &str) -> Option<u16> {
    if text == "24:00" {
        return Some(plan::MINUTES_PER_DAY);
    }
    let time = NaiveTime::parse_from_str(text, "%H:%M").ok()?;
    Some((chrono::Timelike::hour(&time) * 60 + chrono::Timelike::minute(&time)) as u16)
}

/// Prints a revision. `refused` is the server's rejection of it, which sync keeps in the store.
fn print_revision(
    signed: &SignedPlanRevision,
    refused: Option<&RefusedPlan>,
    json: bool,
) -> anyhow::Result<()> {
    let revision = signed.revision();
    let window_text = |window: &Option<TimeWindow>| {
        window.map(|window| {
            format!(
                "{:02}:{:02}-{:02}:{:02}",
                window.start_minute / 60,
                window.start_minute % 60,
                window.end_minute / 60,
                window.end_minute % 60
            )
        })
    };

    if json {
        let items: Vec<_> = revision
            .items
            .iter()
            .map(|item| {
                serde_json::json!({
                    "title": item.title,
                    "expected_output": item.expected_output,
                    "window": window_text(&item.window),
                    "status": item.status.name(),
                    "note": item.note,
                })
            })
            .collect();
        let output = serde_json::json!({
            "day": revision.day.to_string(),
            "revision": revision.revision,
            "created_ms": revision.created_ms,
            "items": items,
            "signed_hex": hex::encode(signed.as_bytes()),
            "refused_reason_id": refused.map(|refused| refused.reason_id.as_str()),
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }

    println!("day\t{}\trevision\t{}", revision.day, revision.revision);
    if let Some(refused) = refused {
        println!("refused\t{}", refused.reason_id);
    }
    for (index, item) in revision.items.iter().enumerate() {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            index + 1,
            item.status.name(),
            window_text(&item.window).unwrap_or_default(),
            item.title,
            item.expected_output,
            item.note
        );
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;
    use siperlu_core::device::{CONFIG_FORMAT, ShiftConfig, TimePolicyConfig};
    use siperlu_core::face::FacePolicy;
    use siperlu_core::geofence::Assignment;
    use siperlu_core::location::LocationPolicy;

    fn wita_config() -> DeviceConfig {
        let offices = r#"{"offices": [{"id": "bkpsdm-makassar", "name": "BKPSDM Kota Makassar",
          "time_zone": "WITA", "fences": [{"type": "circle",
          "center": {"lat": -5.1477, "lon": 119.4327}, "radius_m": 100}]}]}"#;
        DeviceConfig {
            format: CONFIG_FORMAT,
            issued_at_ms: 0,
            device_id: "00000000-0000-0000-0000-000000000001".to_string(),
            nip: "199001012015031001".to_string(),
            assignment: Assignment::from_json(offices).expect("offices parse"),
            location_policy: LocationPolicy::default(),
            face_policy: FacePolicy::default(),
            time_policy: TimePolicyConfig::default(),
            plan_cutoff: plan::default_cutoff(),
            shift: ShiftConfig {
                start: NaiveTime::from_hms_opt(7, 30, 0).expect("time"),
                end: NaiveTime::from_hms_opt(16, 0, 0).expect("time"),
            },
        }
    }

    #[test]
    fn item_window_parsed() {
        let item = parse_item("Rapat|Notulen|08:00-24:00|done", 1, Locale::Id).expect("item");
        assert_eq!(
            item.window,
            Some(TimeWindow {
                start_minute: 480,
                end_minute: 1440
            })
        );
        assert_eq!(item.status, PlanStatus::Done);
    }

    #[test]
    fn item_errors_are_catalog_texts() {
        let cases = [
            (
                "A|B|10:00-09:00",
                "Jam kegiatan nomor 2 (10:00-09:00) tidak valid",
            ),
            (
                "A|B|09:00-09:00",
                "Jam kegiatan nomor 2 (09:00-09:00) tidak valid",
            ),
            (
                "A|B|25:00-26:00",
                "Jam kegiatan nomor 2 (25:00-26:00) tidak valid",
            ),
            ("A|B|0900", "Jam kegiatan nomor 2 (0900) tidak valid"),
            (
                "A|B||selesai",
                "Status kegiatan nomor 2 (selesai) tidak dikenal",
            ),
            ("A|B|||C|D", "Kegiatan nomor 2 berisi 6 bagian"),
        ];
        for (text, expected) in cases {
            let error = parse_item(text, 2, Locale::Id).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
            assert!(!error.contains("encoding"), "{text}: {error}");
        }
        let english = parse_item("A|B||selesai", 1, Locale::En)
            .expect_err("unknown status")
            .to_string();
        assert!(
            english.contains("Use planned, done or not_done"),
            "{english}"
        );
    }

    #[test]
    fn plan_zone_follows_the_stored_configuration() {
        let config = wita_config();
        assert_eq!(plan_zone_name(None, Some(&config)), "Asia/Makassar");
        assert_eq!(plan_zone_name(Some("WIT"), Some(&config)), "WIT");
        assert_eq!(plan_zone_name(None, None), "WIB");
    }
}
