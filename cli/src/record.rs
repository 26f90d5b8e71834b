//! `siperlu record`: exports a signed attendance record from a device store and verifies one,
//! with the same code the server runs.
//!
//! A record file contains the signed bytes (body then Ed25519 signature, see docs/PROTOCOL.md),
//! either raw or as hex text. Raw records start with the ASCII magic `SPRC`, which is not hex,
//! so the two forms cannot be confused.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use siperlu_core::messages::{self, Locale};
use siperlu_core::record::{PUBLIC_KEY_LEN, RecordError, SignedRecord};

use crate::device::open_device_store;

#[derive(Subcommand)]
pub enum RecordCommand {
    /// Check a record's signature (and decode it) against a device public key.
    Verify(VerifyArgs),
    /// Write one record of a device store to a file, as raw bytes or hex.
    Export(ExportArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    /// Record file: signed bytes, raw or as hex text.
    file: PathBuf,
    /// Device public key as 64 hex characters.
    #[arg(
        long,
        conflicts_with = "data_dir",
        required_unless_present = "data_dir"
    )]
    public_key: Option<String>,
    /// Take the public key from this device data folder instead.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Language of the verdict text: `id` (Bahasa Indonesia) or `en`.
    #[arg(long, default_value = "id", value_parser = crate::parse_locale)]
    locale: Locale,
    /// Print {valid, message_id, error, record_hash, record} as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Device data folder.
    #[arg(long)]
    data_dir: PathBuf,
    /// Sequence number of the record.
    #[arg(long)]
    sequence: u64,
    /// File to write.
    #[arg(long)]
    output: PathBuf,
    /// Write hex text instead of raw bytes.
    #[arg(long)]
    hex: bool,
}

pub fn run(command: RecordCommand) -> anyhow::Result<()> {
    match command {
        RecordCommand::Verify(args) => verify(args),
        RecordCommand::Export(args) => export(args),
    }
}

/// Reads a record file, accepting raw signed bytes or hex text.
pub fn read_record_file(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let content = std::fs::read(path)
        .with_context(|| format!("cannot read record file {}", path.display()))?;
    let text = std::str::from_utf8(&content).ok().map(str::trim);
    match text {
        Some(text) if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_hexdigit()) => {
            hex::decode(text).with_context(|| {
                format!(
                    "{} looks like hex but has an odd number of digits",
                    path.display()
                )
            })
        }
        _ => Ok(content),
    }
}

fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    let locale = args.locale;
    let public_key = match (&args.public_key, &args.data_dir) {
        (Some(text), _) => {
            let key = hex::decode(text.trim()).context("--public-key is not hex")?;
            if key.len() != PUBLIC_KEY_LEN {
                bail!(
                    "--public-key is {} bytes; an Ed25519 public key is {PUBLIC_KEY_LEN} bytes (64 hex characters)",
                    key.len()
                );
            }
            key
        }
        (None, Some(data_dir)) => open_device_store(data_dir)?.device()?.public_key.to_vec(),
        (None, None) => bail!("give --public-key HEX or --data-dir DIR"),
    };
    let bytes = read_record_file(&args.file)?;

    let parsed = SignedRecord::from_bytes(&bytes);
    let outcome = parsed
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|signed| signed.verify(&public_key));
    let message_id = match &outcome {
        Ok(()) => None,
        Err(RecordError::BadSignature) => Some("record.bad_signature"),
        Err(_) => Some("record.malformed"),
    };
    let field = match &outcome {
        Err(RecordError::Malformed(error)) => error.field,
        _ => "",
    };
    let verdict_text = message_id.map(|id| messages::format(id, locale, &[("field", field)]));

    if args.json {
        let output = serde_json::json!({
            "valid": outcome.is_ok(),
            "message_id": message_id,
            "message": verdict_text,
            "error": outcome.as_ref().err().map(ToString::to_string),
            "record_hash": parsed.as_ref().ok().map(|signed| hex::encode(signed.hash())),
            "record": parsed.as_ref().ok().map(|signed| signed.record().to_json()),
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else if let Ok(signed) = &parsed {
        let record = signed.record();
        println!("record_id\t{}", record.record_id);
        println!("device_id\t{}", record.device_id);
        println!("sequence\t{}", record.sequence);
        println!("kind\t{}", record.kind.name());
        println!("record_hash\t{}", hex::encode(signed.hash()));
    }

    match outcome {
        Ok(()) => {
            if !args.json {
                println!("signature\tvalid");
            }
            Ok(())
        }
        Err(error) => bail!("{}: {error}", verdict_text.unwrap_or_default()),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = open_device_store(&args.data_dir)?;
    let record = store
        .record(args.sequence)?
        .with_context(|| format!("record {} is not in the store (never written, or pruned after the server acknowledged it)", args.sequence))?;
    let content = if args.hex {
        (hex::encode(&record.bytes) + "\n").into_bytes()
    } else {
        record.bytes
    };
    std::fs::write(&args.output, content)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "wrote record {} to {}",
        args.sequence,
        args.output.display()
    );
    Ok(())
}
