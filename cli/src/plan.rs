//! `siperlu device plan`: saves and shows an ASN's daily work plan (rencana kerja harian) in a
//! simulated phone's store.
//!
//! The plan's day is the attendance day of trusted time in the office zone; each `set` saves a
//! new signed revision of the whole plan, and only today's plan can be changed before the cutoff.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use siperlu_core::messages::{self, Locale};
use siperlu_core::plan::{self, PlanItem, PlanStatus, SignedPlanRevision, TimeWindow};
use siperlu_core::store::StoreError;
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
    /// Office zone: WIB, WITA, WIT or an IANA name such as Asia/Makassar.
    #[arg(long, default_value = "WIB")]
    zone: String,
    /// Local time (HH:MM) after which today's plan can no longer be changed.
    #[arg(long, default_value = "23:59")]
    cutoff: String,
    /// One item as "TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE"; every part after the title
    /// may be empty or left out. STATUS is planned (default), done or not_done. Repeat per item.
    #[arg(long = "item", required = true)]
    items: Vec<String>,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id")]
    locale: String,
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
    /// Office zone: WIB, WITA, WIT or an IANA name.
    #[arg(long, default_value = "WIB")]
    zone: String,
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
    let locale = Locale::from_tag(&args.locale);
    let zone = time::parse_office_zone(&args.zone)?;
    let cutoff = NaiveTime::parse_from_str(&args.cutoff, "%H:%M")
        .with_context(|| format!("--cutoff {:?} is not HH:MM", args.cutoff))?;
    let items = args
        .items
        .iter()
        .map(|text| parse_item(text))
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
                    &[("day", &day.to_string()), ("cutoff", &args.cutoff)],
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
    print_revision(&saved, args.json)
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let zone = time::parse_office_zone(&args.zone)?;
    let store = open_device_store(&args.data_dir)?;
    let day = match &args.day {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .with_context(|| format!("--day {text:?} is not YYYY-MM-DD"))?,
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
        bail!("no work plan saved for {day}; save one with `siperlu device plan set`");
    };
    print_revision(&latest, args.json)
}

/// Parses "TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE".
fn parse_item(text: &str) -> anyhow::Result<PlanItem> {
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    if parts.len() > 5 {
        bail!(
            "item {text:?} has {} parts; use at most TITLE|EXPECTED OUTPUT|HH:MM-HH:MM|STATUS|NOTE",
            parts.len()
        );
    }
    let part = |index: usize| parts.get(index).copied().unwrap_or("");

    let window = match part(2) {
        "" => None,
        range => {
            let (start, end) = range
                .split_once('-')
                .with_context(|| format!("time window {range:?} is not HH:MM-HH:MM"))?;
            Some(TimeWindow {
                start_minute: minutes_after_midnight(start)?,
                end_minute: minutes_after_midnight(end)?,
            })
        }
    };
    let status = match part(3) {
        "" => PlanStatus::Planned,
        name => PlanStatus::from_name(name)
            .with_context(|| format!("status {name:?} is not planned, done or not_done"))?,
    };
    Ok(PlanItem {
        title: part(0).to_string(),
        expected_output: part(1).to_string(),
        window,
        status,
        note: part(4).to_string(),
    })
}

fn minutes_after_midnight(text: &str) -> anyhow::Result<u16> {
    if text == "24:00" {
        return Ok(plan::MINUTES_PER_DAY);
    }
    let time = NaiveTime::parse_from_str(text, "%H:%M")
        .with_context(|| format!("{text:?} is not HH:MM"))?;
    Ok((chrono::Timelike::hour(&time) * 60 + chrono::Timelike::minute(&time)) as u16)
}

fn print_revision(signed: &SignedPlanRevision, json: bool) -> anyhow::Result<()> {
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
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }

    println!("day\t{}\trevision\t{}", revision.day, revision.revision);
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
