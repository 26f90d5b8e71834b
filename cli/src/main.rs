//! `siperlu`: the command-line front end of Siperlu.
//!
//! It simulates a phone (`device`), runs admin and evaluation tasks, and inspects the pieces of
//! the core one at a time. Each subcommand lives in its own module; `--json` output is meant for
//! scripts and its fields are listed in each subcommand's `--help`.

use clap::{Parser, Subcommand};

mod admin;
mod check_in;
mod device;
mod face;
mod geofence;
mod messages;
mod plan;
mod record;
mod server;
mod simulator;
mod sync;

#[derive(Parser)]
#[command(
    name = "siperlu",
    version,
    about = "Siperlu: face attendance (presensi) for ASN, offline first"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Admin tasks over the server's admin JSON API: offices, ASN, assignments, enrollment
    /// codes and the check-in list.
    Admin(admin::AdminArgs),
    /// Simulate a phone: its data folder, device key and offline store.
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Check GPS fixes against office geofences.
    Geofence(geofence::GeofenceArgs),
    /// Run the face pipeline on photos: inspect one, compare two, or evaluate a labelled set.
    Face(face::FaceArgs),
    /// Show the user-facing message catalog (Bahasa Indonesia and English).
    Messages(messages::MessagesArgs),
    /// Export and verify signed attendance records.
    #[command(subcommand)]
    Record(record::RecordCommand),
    /// Run the backend: device API, admin pages and metrics on a SQLite database.
    Server(server::ServerArgs),
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SIPERLU_LOG"))
        .with_writer(std::io::stderr)
        .init();

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Admin(args) => admin::run(args),
        Command::Device(command) => device::run(command),
        Command::Geofence(args) => geofence::run(args),
        Command::Face(args) => face::run(args),
        Command::Messages(args) => messages::run(args),
        Command::Record(command) => record::run(command),
        Command::Server(args) => server::run(args),
    };

    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("siperlu: error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
