//! `siperlu device register` and `siperlu device sync`: the phone's registration and sync
//! screens, run on a simulated phone's data folder through the core sync client.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use siperlu_core::messages::{self, Locale};
use siperlu_core::sync::{SyncClient, SyncError, SyncOptions};

use crate::check_in::open_device;

#[derive(Args)]
pub struct RegisterArgs {
    /// Data folder of the simulated phone (initialised, with the NIP set and a face enrolled).
    #[arg(long)]
    data_dir: PathBuf,
    /// Server address, for example http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// One-time enrollment code from the OPD admin.
    #[arg(long)]
    code: String,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print JSON: {device_id, server_key_id, config_issued_at_ms, places}.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Data folder of the simulated phone (registered).
    #[arg(long)]
    data_dir: PathBuf,
    /// Server address, for example http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// Attempts per request before the run gives up.
    #[arg(long, default_value_t = 5)]
    max_attempts: u32,
    /// Language of messages: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print JSON: {accepted, duplicates, rejected: [{record_id, reason_id}], batches_sent,
    /// plans_pushed, plans_refused, retries, anchor_uncertainty_ms, config_issued_at_ms}.
    #[arg(long)]
    json: bool,
}

fn client(
    data_dir: &std::path::Path,
    server: &str,
    options: SyncOptions,
    locale: Locale,
) -> anyhow::Result<SyncClient> {
    let device = Arc::new(open_device(data_dir)?);
    SyncClient::new(device, server, options).map_err(|error| localized(error, locale))
}

/// Turns a sync error into an error whose first line is the catalog text in `locale`.
fn localized(error: SyncError, locale: Locale) -> anyhow::Error {
    anyhow::anyhow!("{} ({error})", error.message(locale))
}

pub fn register(args: RegisterArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let client = client(&args.data_dir, &args.server, SyncOptions::default(), locale)?;
    let registered = client.register(&args.code).map_err(|error| match error {
        // Registration is not retried later, unlike records, so the ASN tries again.
        SyncError::Unreachable { .. } => anyhow::anyhow!(
            "{} ({error})",
            siperlu_core::messages::format("sync.register_offline", locale, &[])
        ),
        _ => localized(error, locale),
    })?;
    let places =
        registered.config.assignment.offices.len() + registered.config.assignment.dinas_luar.len();

    if args.json {
        let output = serde_json::json!({
            "device_id": registered.device_id.to_string(),
            "server_key_id": registered.server_key_id,
            "config_issued_at_ms": registered.config.issued_at_ms,
            "places": places,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!("{}", messages::format("sync.registered", locale, &[]));
        println!("device_id\t{}", registered.device_id);
        println!("server_key_id\t{}", registered.server_key_id);
        println!("places\t{places}");
    }
    Ok(())
}

/// Lines that list each refused plan revision (`day #revision: reason id`) with its reason
/// text; empty when the server took every plan.
fn refused_plan_lines(refused: &[String], locale: Locale) -> Vec<String> {
    if refused.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![messages::format(
        "plan.sync_refused",
        locale,
        &[("count", &refused.len().to_string())],
    )];
    for entry in refused {
        let (revision, reason_id) = entry.split_once(": ").unwrap_or((entry.as_str(), ""));
        let reason = messages::text(reason_id, locale).unwrap_or(reason_id);
        lines.push(format!("- {revision}: {reason} ({reason_id})"));
    }
    lines
}

pub fn sync(args: SyncArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let options = SyncOptions {
        max_attempts: args.max_attempts,
        ..SyncOptions::default()
    };
    let client = client(&args.data_dir, &args.server, options, locale)?;
    let report = client.sync().map_err(|error| localized(error, locale))?;

    if args.json {
        let output = serde_json::json!({
            "accepted": report.accepted,
            "duplicates": report.duplicates,
            "rejected": report.rejected.iter().map(|rejected| serde_json::json!({
                "record_id": rejected.record_id.to_string(),
                "reason_id": rejected.reason_id,
            })).collect::<Vec<_>>(),
            "batches_sent": report.batches_sent,
            "plans_pushed": report.plans_pushed,
            "plans_refused": report.plans_refused,
            "retries": report.retries,
            "anchor_uncertainty_ms": report.anchor.as_ref().map(|anchor| anchor.round_trip_uncertainty_ms),
            "config_issued_at_ms": report.config_issued_at_ms,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }
    let acknowledged = (report.accepted + report.duplicates).to_string();
    let rejected = report.rejected.len().to_string();
    let plans = report.plans_pushed.to_string();
    println!(
        "{}",
        messages::format(
            "sync.done",
            locale,
            &[
                ("acknowledged", &acknowledged),
                ("rejected", &rejected),
                ("plans", &plans)
            ]
        )
    );
    for refused in &report.rejected {
        let reason = messages::text(&refused.reason_id, locale).unwrap_or(&refused.reason_id);
        println!("- {}: {reason}", refused.record_id);
    }
    for line in refused_plan_lines(&report.plans_refused, locale) {
        println!("{line}");
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn refused_plans_are_listed_with_their_reason() {
        assert!(refused_plan_lines(&[], Locale::En).is_empty());
        let lines =
            refused_plan_lines(&["2026-12-04 #2: plan.past_cutoff".to_string()], Locale::En);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("1 work plans were refused"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("- 2026-12-04 #2: Today's deadline"),
            "{lines:?}"
        );
        assert!(lines[1].ends_with("(plan.past_cutoff)"), "{lines:?}");
    }
}
