//! `siperlu geofence check`: judges one GPS fix against an offices file, the same way the phone
//! and the server do, for admins checking a fence configuration.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;
use siperlu_core::geofence::{self, Assignment, LatLon};
use siperlu_core::messages::Locale;

#[derive(Args)]
pub struct GeofenceArgs {
    #[command(subcommand)]
    command: GeofenceCommand,
}

#[derive(Subcommand)]
enum GeofenceCommand {
    /// Judge one GPS fix against the offices and dinas luar locations of an offices file.
    Check(CheckArgs),
}

#[derive(Args)]
#[command(after_help = "\
Output fields (--json prints one object with these keys):
  verdict          \"inside\", \"outside\" or \"uncertain\". Inside: the whole accuracy circle
                   lies in a fence. Outside: the circle reaches no fence. Uncertain: the
                   circle straddles a boundary; the ASN must retry.
  office_id        the office the point is inside, or else the nearest office
  office_name      that office's name
  distance_m       geodesic distance to that office's nearest fence in metres (0 inside)
  inside_margin_m  how far inside that office's fence boundary the point lies (0 outside)
  accuracy_m       the accuracy radius used, in metres
  reasons          array of {id, message}: message catalog id and text in --locale

The offices file format is described in docs/GEOFENCE.md.
")]
struct CheckArgs {
    /// Offices file in JSON, with an `offices` array and an optional `dinas_luar` array.
    #[arg(long, value_name = "FILE")]
    offices: PathBuf,
    /// Latitude of the fix in degrees (WGS84, south negative).
    #[arg(long, allow_negative_numbers = true)]
    lat: f64,
    /// Longitude of the fix in degrees (WGS84, east positive).
    #[arg(long, allow_negative_numbers = true)]
    lon: f64,
    /// Radius of the fix's accuracy circle in metres (above 0).
    #[arg(long, value_name = "METRES", allow_negative_numbers = true)]
    accuracy: f64,
    /// Local date (YYYY-MM-DD) that selects the valid dinas luar locations. Default: today in
    /// each location's own time zone, by this computer's clock.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Language of the messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print a JSON object instead of text lines.
    #[arg(long)]
    json: bool,
}

/// The `--json` output, in the order `--help` lists the fields.
#[derive(Serialize)]
struct CheckOutput<'a> {
    verdict: &'a str,
    office_id: &'a str,
    office_name: &'a str,
    distance_m: f64,
    inside_margin_m: f64,
    accuracy_m: f64,
    reasons: Vec<Reason<'a>>,
}

#[derive(Serialize)]
struct Reason<'a> {
    id: &'a str,
    message: &'a str,
}

pub fn run(args: GeofenceArgs) -> anyhow::Result<()> {
    match args.command {
        GeofenceCommand::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let point = LatLon::new(args.lat, args.lon)?;

    let text = std::fs::read_to_string(&args.offices)
        .with_context(|| format!("cannot read offices file {}", args.offices.display()))?;
    let assignment = Assignment::from_json(&text)
        .with_context(|| format!("cannot load offices file {}", args.offices.display()))?;
    let places = match args.date {
        Some(date) => assignment.places_on(date),
        None => assignment.places_at(Utc::now()),
    };

    let verdict = geofence::evaluate(places, point, args.accuracy)?;
    let message = verdict.message(locale);

    if args.json {
        let output = CheckOutput {
            verdict: verdict.kind.as_str(),
            office_id: &verdict.office_id,
            office_name: &verdict.office_name,
            distance_m: verdict.distance_m,
            inside_margin_m: verdict.inside_margin_m,
            accuracy_m: verdict.accuracy_m,
            reasons: vec![Reason {
                id: verdict.reason_id,
                message: &message,
            }],
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!("verdict: {}", verdict.kind.as_str());
        println!("office: {} ({})", verdict.office_id, verdict.office_name);
        println!("distance_m: {:.3}", verdict.distance_m);
        println!("inside_margin_m: {:.3}", verdict.inside_margin_m);
        println!("accuracy_m: {:.3}", verdict.accuracy_m);
        println!("reason: {}: {}", verdict.reason_id, message);
    }
    Ok(())
}
