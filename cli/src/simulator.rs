//! `siperlu device config`: the simulator's stand-in for the server-signed configuration.
//!
//! SIMULATOR ONLY. A real phone receives its configuration from the server, signed with the
//! server key it pinned at registration. Before any server exists, `config import` signs a
//! configuration with a local simulator key, created in the data folder as
//! `simulator-server.pk8`, and pins that key. It stores the configuration through the same
//! device API call the sync client uses, so the signature and ownership checks run as on a
//! phone. The Android API has no such path.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveTime;
use clap::{Args, Subcommand};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use siperlu_core::device::{CONFIG_FORMAT, DeviceConfig, ShiftConfig, TimePolicyConfig};
use siperlu_core::face::FacePolicy;
use siperlu_core::geofence::Assignment;
use siperlu_core::location::LocationPolicy;
use siperlu_core::messages::Locale;
use siperlu_core::signed::{PinnedKey, SignedEnvelope};

use crate::check_in::{localized, open_device};

/// File name of the simulator's server key (PKCS#8, Ed25519) inside the data folder.
pub const SIMULATOR_KEY_FILE: &str = "simulator-server.pk8";
/// Key id the simulator signs with; a phone pinned to any other key id is left alone.
pub const SIMULATOR_KEY_ID: &str = "simulator-local";

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// SIMULATOR ONLY: sign a configuration with a local simulator key, pin that key, and
    /// store the configuration, as if a server had sent it.
    Import(ImportArgs),
    /// Show the stored configuration as JSON.
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// Data folder of the simulated phone.
    #[arg(long)]
    data_dir: PathBuf,
    /// Offices file: the ASN's assignment as JSON, in the format of `siperlu geofence check`
    /// ({"offices": [...], "dinas_luar": [...]}).
    #[arg(long)]
    offices: PathBuf,
    /// NIP of the ASN (18 digits); the registered NIP when left out.
    #[arg(long)]
    nip: Option<String>,
    /// Local shift start, HH:MM.
    #[arg(long, default_value = "07:30")]
    shift_start: String,
    /// Local shift end, HH:MM; at or before the start for a shift that passes midnight.
    #[arg(long, default_value = "16:00")]
    shift_end: String,
    /// Local time (HH:MM) after which today's work plan can no longer be changed.
    #[arg(long, default_value = "23:59")]
    plan_cutoff: String,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Data folder of the simulated phone.
    #[arg(long)]
    data_dir: PathBuf,
}

pub fn run(command: ConfigCommand) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Import(args) => import(args),
        ConfigCommand::Show(args) => show(args),
    }
}

fn parse_time(option: &str, text: &str) -> anyhow::Result<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .with_context(|| format!("--{option} {text:?} is not a local time HH:MM"))
}

fn import(args: ImportArgs) -> anyhow::Result<()> {
    let locale = Locale::En;
    let text = std::fs::read_to_string(&args.offices)
        .with_context(|| format!("cannot read offices file {}", args.offices.display()))?;
    let assignment = Assignment::from_json(&text)
        .with_context(|| format!("offices file {} is invalid", args.offices.display()))?;
    let shift = ShiftConfig {
        start: parse_time("shift-start", &args.shift_start)?,
        end: parse_time("shift-end", &args.shift_end)?,
    };
    let plan_cutoff = parse_time("plan-cutoff", &args.plan_cutoff)?;

    let device = open_device(&args.data_dir)?;
    let identity = device.identity().map_err(|e| localized(e, locale))?;
    if let Some(nip) = &args.nip {
        let registered = device.registration().map_err(|e| localized(e, locale))?;
        if registered.as_ref().map(|registration| &registration.nip) != Some(nip) {
            device.set_nip(nip).map_err(|e| localized(e, locale))?;
        }
    }
    let nip = match device.registration().map_err(|e| localized(e, locale))? {
        Some(registration) => registration.nip,
        None => bail!("no NIP is registered on this device; pass --nip"),
    };

    // Refuse to replace a real server's key: a simulator key on a registered phone would let
    // anyone with the data folder rewrite its offices.
    if let Some(pinned) = device.server_key().map_err(|e| localized(e, locale))?
        && pinned.key_id != SIMULATOR_KEY_ID
    {
        bail!(
            "this device has pinned server key {:?}; the simulator signs only for devices without a server key, or pinned to {SIMULATOR_KEY_ID:?}",
            pinned.key_id
        );
    }
    let key_pair = simulator_key(&args.data_dir.join(SIMULATOR_KEY_FILE))?;
    device
        .pin_server_key(&PinnedKey {
            key_id: SIMULATOR_KEY_ID.to_string(),
            public_key: key_pair.public_key().as_ref().to_vec(),
        })
        .map_err(|e| localized(e, locale))?;

    let config = DeviceConfig {
        format: CONFIG_FORMAT,
        issued_at_ms: crate::device::now_ms(),
        device_id: identity.device_id.to_string(),
        nip,
        assignment,
        location_policy: LocationPolicy::default(),
        face_policy: FacePolicy::default(),
        time_policy: TimePolicyConfig::default(),
        plan_cutoff,
        shift,
    };
    let envelope = SignedEnvelope::sign(SIMULATOR_KEY_ID, &config.to_json_bytes(), &key_pair)?;
    let stored = device
        .save_config(&envelope.encode())
        .map_err(|e| localized(e, locale))?;

    println!("device_id\t{}", identity.device_id);
    println!("key_id\t{SIMULATOR_KEY_ID} (simulator)");
    println!("issued_at_ms\t{}", stored.issued_at_ms);
    println!(
        "places\t{}",
        stored.assignment.offices.len() + stored.assignment.dinas_luar.len()
    );
    Ok(())
}

/// Loads the simulator key, or creates it (mode 0600 on Unix) at the first import.
fn simulator_key(path: &std::path::Path) -> anyhow::Result<Ed25519KeyPair> {
    if !path.is_file() {
        let document = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| anyhow::anyhow!("system random generator failed"))?;
        write_private(path, document.as_ref())?;
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read simulator key {}", path.display()))?;
    Ed25519KeyPair::from_pkcs8(&bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not an Ed25519 PKCS#8 key; delete it to create a new simulator key",
            path.display()
        )
    })
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create simulator key {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let device = open_device(&args.data_dir)?;
    match device
        .current_config()
        .map_err(|e| localized(e, Locale::En))?
    {
        Some(config) => {
            let value: serde_json::Value = serde_json::from_slice(&config.to_json_bytes())?;
            println!("{}", serde_json::to_string_pretty(&value)?);
            Ok(())
        }
        None => bail!("no configuration is stored; run `siperlu device config import` first"),
    }
}
