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
    Device(device::DeviceArgs),
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

/// Parses `--locale`: `id` (Bahasa Indonesia) or `en`, with an optional region such as
/// `id-ID` or `en-US`. Unlike [`Locale::from_tag`], which the app uses for the phone's
/// language and which falls back to Indonesian, an unknown value is an error here: a typo on
/// the command line should not silently switch the language.
pub fn parse_locale(text: &str) -> Result<siperlu_core::messages::Locale, String> {
    let language = text
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match language.as_str() {
        "id" | "en" => Ok(siperlu_core::messages::Locale::from_tag(&language)),
        _ => Err(format!(
            "unknown locale {text:?}; use `id` (Bahasa Indonesia) or `en` (English)"
        )),
    }
}

/// Restores the default SIGPIPE action, which Rust's runtime sets to "ignore". Then
/// `siperlu messages | head` ends quietly when `head` closes the pipe, as other Unix tools
/// do, instead of panicking in `println!` on the broken pipe.
#[cfg(unix)]
fn restore_default_sigpipe() {
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    // SAFETY: `signal` from the C library with the default action has no preconditions; it
    // runs before any other thread exists.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    // Colour codes only for a terminal: a redirected log is read in files and by tools.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SIPERLU_LOG"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Admin(args) => admin::run(args),
        Command::Device(args) => device::run(args),
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
