//! `siperlu server`: runs the backend (device API, admin pages) on a SQLite database.

use clap::Args;
use siperlu_core::policy::DevicePolicy;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ServerArgs {
    /// SQLite database file; created and migrated on first start. The server's signing key is
    /// kept beside it as <db>.server-key.p8.
    #[arg(long)]
    db: PathBuf,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// File holding the first admin's password (at least 12 characters), read on the first
    /// start only. Without it a one-time password is printed once.
    #[arg(long)]
    admin_password_file: Option<PathBuf>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = siperlu_server::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Sustained requests per second allowed per client IP address.
    #[arg(long, default_value_t = 50.0)]
    ip_rate_per_s: f64,
    /// Burst of requests allowed per client IP address.
    #[arg(long, default_value_t = 200)]
    ip_burst: u32,
    /// URL that admins open in their browser, such as https://presensi.example.go.id. With
    /// https the session cookies are marked Secure and named with the __Host- prefix, so set it
    /// whenever a TLS proxy serves the admin pages. Leave it out for plain http.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// TOML file with the limits shipped to every phone and applied again at ingest: sections
    /// [face_policy] (match_threshold, require_blink, ...), [location_policy],
    /// [time_policy] and [shift], and plan_cutoff. Fields left out keep their defaults; an
    /// unknown or out-of-range field stops the start. docs/SERVER.md lists every field.
    #[arg(long, value_name = "FILE")]
    device_policy: Option<PathBuf>,
}

pub fn run(args: ServerArgs) -> anyhow::Result<()> {
    let mut config = siperlu_server::ServerConfig::new(args.db, args.listen);
    config.admin_password_file = args.admin_password_file;
    config.max_body_bytes = args.max_body_bytes;
    config.ip_rate_per_s = args.ip_rate_per_s;
    config.ip_burst = args.ip_burst;
    config.public_url = args.public_url;
    if let Some(path) = &args.device_policy {
        config.device_policy = read_device_policy(path)?;
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(siperlu_server::run(config))
        .map_err(|error| anyhow::anyhow!(describe_once(&error)))?;
    Ok(())
}

/// Reads and validates the device policy file, naming the file in every error.
fn read_device_policy(path: &Path) -> anyhow::Result<DevicePolicy> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        anyhow::anyhow!(
            "cannot read the device policy file {}: {error}",
            path.display()
        )
    })?;
    DevicePolicy::from_toml(&text).map_err(|error| {
        anyhow::anyhow!(
            "cannot use the device policy file {}: {error}; fix it and start the server again",
            path.display()
        )
    })
}

/// Joins an error and its sources with ": ", skipping a source whose text the message already
/// contains. Server errors show their cause in their own text for the logs, and rusqlite
/// repeats SQLite's text in its source, so the full chain would say each cause twice.
fn describe_once(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod test {
    use super::*;
    use siperlu_server::ServerError;
    use siperlu_server::auth::AuthError;

    #[test]
    fn short_password_cause_once() {
        let error = ServerError::Admin(AuthError::PasswordTooShort { length: 5 });
        let message = describe_once(&error);
        assert_eq!(message.matches("use at least 12").count(), 1, "{message}");
        assert!(message.contains("5 characters"), "{message}");
    }

    #[test]
    fn database_open_cause_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("missing-folder").join("new.db");
        let Err(error) = siperlu_server::db::Db::open(&path) else {
            panic!("a database in a missing folder cannot open");
        };
        let message = describe_once(&ServerError::from(error));
        assert_eq!(
            message.matches("unable to open database file").count(),
            1,
            "{message}"
        );
        assert!(message.contains("new.db"), "{message}");
    }
}
