//! `siperlu device`: simulates a phone whose offline store lives in a data folder.
//!
//! The folder contains `siperlu.db` (the store) and the software key vault: `vault.key` (32 random
//! bytes) by default, or `vault.params` (PBKDF2 salt and iterations) when the device was
//! initialised with `--passphrase-env`, in which case the passphrase is read from that
//! environment variable at each run. `device config import` adds `simulator-server.pk8`, the
//! simulator's stand-in for the server signing key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use siperlu_core::record::SignedRecord;
use siperlu_core::store::Store;
use siperlu_core::time::ClockReading;
use siperlu_core::vault::{DEFAULT_PBKDF2_ITERATIONS, KeyVault, SoftwareVault};

/// File name of the store inside the data folder.
pub const STORE_FILE: &str = "siperlu.db";
/// File name of the software vault key inside the data folder.
pub const KEY_FILE: &str = "vault.key";
/// File name of the passphrase parameters inside the data folder.
pub const PARAMS_FILE: &str = "vault.params";
/// Environment variable holding the passphrase of a passphrase vault.
pub const PASSPHRASE_ENV: &str = "SIPERLU_VAULT_PASSPHRASE";

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Create the data folder, its key vault and store, and a new device identity (Ed25519 key).
    Init(InitArgs),
    /// List the records in the outbox, oldest first.
    Records(RecordsArgs),
    /// Save or show the ASN's daily work plan.
    #[command(subcommand)]
    Plan(crate::plan::PlanCommand),
    /// Enroll the ASN's face from 3 to 5 photos (and set the NIP at the first enrollment).
    Enroll(crate::check_in::EnrollArgs),
    /// Check in or out with a selfie and a GPS fix; the attempt is signed and recorded.
    CheckIn(crate::check_in::CheckInArgs),
    /// The stored office configuration; `import` is the simulator's stand-in for the server.
    #[command(subcommand)]
    Config(crate::simulator::ConfigCommand),
    /// Register the phone with the server using an enrollment code from the OPD admin; pins
    /// the server key and stores the first configuration.
    Register(crate::sync::RegisterArgs),
    /// Sync with the server: time anchor, pending records in batches of 100, work plans and
    /// the signed configuration.
    Sync(crate::sync::SyncArgs),
}

#[derive(Args)]
pub struct InitArgs {
    /// Data folder of the simulated phone; created if missing.
    #[arg(long)]
    data_dir: PathBuf,
    /// Derive the vault key from the passphrase in this environment variable (PBKDF2-HMAC-SHA256,
    /// 600,000 iterations) instead of writing a random key file.
    #[arg(long)]
    passphrase_env: Option<String>,
    /// Print the identity as JSON: {device_id, public_key (hex), store, vault}.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RecordsArgs {
    /// Data folder of the simulated phone.
    #[arg(long)]
    data_dir: PathBuf,
    /// Print a JSON array of {sequence, state, reject_reason, record} instead of text lines.
    #[arg(long)]
    json: bool,
}

pub fn run(command: DeviceCommand) -> anyhow::Result<()> {
    match command {
        DeviceCommand::Init(args) => init(args),
        DeviceCommand::Records(args) => records(args),
        DeviceCommand::Plan(command) => crate::plan::run(command),
        DeviceCommand::Enroll(args) => crate::check_in::enroll(args),
        DeviceCommand::CheckIn(args) => crate::check_in::check_in(args),
        DeviceCommand::Config(command) => crate::simulator::run(command),
        DeviceCommand::Register(args) => crate::sync::register(args),
        DeviceCommand::Sync(args) => crate::sync::sync(args),
    }
}

/// Opens the store of a data folder with the vault it was initialised with.
pub fn open_device_store(data_dir: &Path) -> anyhow::Result<Store> {
    let store_path = data_dir.join(STORE_FILE);
    if !store_path.is_file() {
        bail!(
            "{} has no store; run `siperlu device init --data-dir {}` first",
            data_dir.display(),
            data_dir.display()
        );
    }
    let vault = open_vault(data_dir)?;
    Store::open(&store_path, vault)
        .with_context(|| format!("cannot open the store in {}", data_dir.display()))
}

pub fn open_vault(data_dir: &Path) -> anyhow::Result<Arc<dyn KeyVault>> {
    let key_path = data_dir.join(KEY_FILE);
    if key_path.is_file() {
        return Ok(Arc::new(SoftwareVault::open_key_file(&key_path)?));
    }
    let params_path = data_dir.join(PARAMS_FILE);
    if params_path.is_file() {
        let passphrase = std::env::var(PASSPHRASE_ENV).with_context(|| {
            format!("this device uses a passphrase vault; set {PASSPHRASE_ENV} to its passphrase")
        })?;
        return Ok(Arc::new(SoftwareVault::from_passphrase(
            &passphrase,
            &params_path,
            DEFAULT_PBKDF2_ITERATIONS,
        )?));
    }
    bail!(
        "{} has neither {KEY_FILE} nor {PARAMS_FILE}; run `siperlu device init` first",
        data_dir.display()
    )
}

fn init(args: InitArgs) -> anyhow::Result<()> {
    let data_dir = &args.data_dir;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    if data_dir.join(STORE_FILE).exists() {
        bail!(
            "{} already holds a store; a device key is never replaced in place. Use another folder, or move the old one aside after syncing its records",
            data_dir.display()
        );
    }

    let (vault, vault_kind): (Arc<dyn KeyVault>, &str) = match &args.passphrase_env {
        Some(variable) => {
            let passphrase = std::env::var(variable)
                .with_context(|| format!("environment variable {variable} is not set"))?;
            if passphrase.chars().count() < 8 {
                bail!(
                    "the passphrase in {variable} has fewer than 8 characters; choose a longer one"
                );
            }
            let params = data_dir.join(PARAMS_FILE);
            let vault =
                SoftwareVault::from_passphrase(&passphrase, &params, DEFAULT_PBKDF2_ITERATIONS)?;
            (Arc::new(vault), "passphrase")
        }
        None => (
            Arc::new(SoftwareVault::create_key_file(&data_dir.join(KEY_FILE))?),
            "key_file",
        ),
    };

    let mut store = Store::open(&data_dir.join(STORE_FILE), vault)?;
    let identity = store.init_device(now_ms())?;
    let public_key = hex::encode(identity.public_key);

    if args.json {
        let output = serde_json::json!({
            "device_id": identity.device_id.to_string(),
            "public_key": public_key,
            "store": data_dir.join(STORE_FILE),
            "vault": vault_kind,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!("device_id\t{}", identity.device_id);
        println!("public_key\t{public_key}");
        println!("store\t{}", data_dir.join(STORE_FILE).display());
        println!("vault\t{vault_kind}");
    }
    Ok(())
}

fn records(args: RecordsArgs) -> anyhow::Result<()> {
    let store = open_device_store(&args.data_dir)?;
    let stored = store.records(1, usize::MAX >> 1)?;

    let mut rows = Vec::with_capacity(stored.len());
    for row in &stored {
        let signed = SignedRecord::from_bytes(&row.bytes)
            .with_context(|| format!("stored record {} is damaged", row.sequence))?;
        rows.push((row, signed));
    }

    if args.json {
        let output: Vec<_> = rows
            .iter()
            .map(|(row, signed)| {
                serde_json::json!({
                    "sequence": row.sequence,
                    "state": row.state.name(),
                    "reject_reason": row.reject_reason,
                    "record": signed.record().to_json(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&output)?);
        return Ok(());
    }

    for (row, signed) in rows {
        let record = signed.record();
        let time = siperlu_core::time::utc_from_ms(record.trusted_time_ms)
            .map(|time| time.to_rfc3339())
            .unwrap_or_else(|_| record.trusted_time_ms.to_string());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            row.sequence,
            record.record_id,
            record.kind.name(),
            time,
            record.geofence.code.name(),
            row.state
        );
    }
    Ok(())
}

/// Reads the simulated phone's clocks: the wall clock, this machine's uptime as the
/// elapsed-since-boot clock (`/proc/uptime`, which counts suspend like Android's
/// `elapsedRealtime`), and the kernel's boot id.
pub fn clock_reading() -> anyhow::Result<ClockReading> {
    let uptime = std::fs::read_to_string("/proc/uptime")
        .context("cannot read /proc/uptime for the elapsed-since-boot clock")?;
    let seconds_text = uptime.split_whitespace().next().unwrap_or("");
    let (whole, fraction) = seconds_text.split_once('.').unwrap_or((seconds_text, "0"));
    let whole: i64 = whole
        .parse()
        .with_context(|| format!("/proc/uptime starts with {seconds_text:?}, not seconds"))?;
    let centis: i64 = format!("{fraction:0<2}")[..2].parse().unwrap_or(0);

    let boot_id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .context("cannot read the kernel boot id")?;
    Ok(ClockReading {
        wall_clock_ms: now_ms(),
        elapsed_ms: whole * 1000 + centis * 10,
        boot_id: boot_id.trim().to_string(),
    })
}

/// Returns the wall-clock time in ms since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
}
