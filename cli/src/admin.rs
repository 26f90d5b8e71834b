//! `siperlu admin`: an OPD admin's tasks from a shell, over the server's admin JSON API.
//!
//! Each run logs in (`POST /api/v1/admin/session` with the password from a file), makes one
//! request with the session cookie and the CSRF header, and prints the new id (or the
//! enrollment code) alone on stdout, or the server's JSON with `--json`. It does nothing the
//! admin pages cannot do; it exists so that scripts/demo and operators can drive the server
//! without a browser.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use siperlu_core::messages::{self, Locale};

#[derive(Args)]
pub struct AdminArgs {
    /// Server address, for example http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// Admin user name.
    #[arg(long, default_value = "admin")]
    username: String,
    /// File holding the admin's password (its first line).
    #[arg(long)]
    password_file: PathBuf,
    /// Print the server's JSON response instead of the plain output (the new id, the
    /// enrollment code, or one line per check-in).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Add an OPD (government agency); prints its id.
    OpdAdd {
        /// Name of the OPD, 1 to 200 characters, for example "Dinas Kesehatan".
        #[arg(long)]
        name: String,
    },
    /// Add an office with one polygon fence; prints its id.
    OfficeAdd {
        /// Short stable code, for example KB-SDA.
        #[arg(long)]
        code: String,
        /// Office name as admins and ASN see it, 1 to 200 characters.
        #[arg(long)]
        name: String,
        /// Id of the OPD the office belongs to, as `opd-add` printed it.
        #[arg(long)]
        opd_id: i64,
        /// IANA zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
        #[arg(long, default_value = "Asia/Jakarta")]
        time_zone: String,
        /// Polygon vertices as `lat,lon` pairs separated by spaces, in order around the area.
        #[arg(long, allow_hyphen_values = true)]
        polygon: String,
    },
    /// Add an ASN to an OPD.
    AsnAdd {
        /// NIP, 18 digits.
        #[arg(long)]
        nip: String,
        /// Full name of the ASN, 1 to 200 characters.
        #[arg(long)]
        name: String,
        /// Id of the ASN's OPD, as `opd-add` printed it.
        #[arg(long)]
        opd_id: i64,
    },
    /// Assign an ASN to an office from one date to another (YYYY-MM-DD); prints its id.
    Assign {
        /// NIP of the ASN, 18 digits.
        #[arg(long)]
        nip: String,
        /// Id of the office, as `office-add` printed it.
        #[arg(long)]
        office_id: i64,
        /// First day of the assignment (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the assignment (YYYY-MM-DD), included.
        #[arg(long)]
        until: String,
    },
    /// Issue a one-time enrollment code for an ASN's phone; prints the code.
    Code {
        /// NIP of the ASN, 18 digits.
        #[arg(long)]
        nip: String,
        /// Minutes the code stays valid.
        #[arg(long, default_value_t = 60)]
        valid_minutes: i64,
    },
    /// List the synced check-ins as an admin sees them, newest first.
    Checkins {
        /// Only this attendance day (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
}

/// A logged-in admin session.
struct Session {
    http: reqwest::blocking::Client,
    server: String,
    cookie: String,
    csrf_token: String,
}

impl Session {
    fn login(args: &AdminArgs) -> anyhow::Result<Session> {
        #[allow(deprecated)] // ring's provider: see core/src/sync/http.rs
        let provider = rustls::crypto::ring::default_provider();
        let _ = provider.install_default();
        let http = reqwest::blocking::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        let server = args.server.trim_end_matches('/').to_string();
        let password = std::fs::read_to_string(&args.password_file).with_context(|| {
            format!(
                "cannot read the password file {}",
                args.password_file.display()
            )
        })?;
        let password = password.lines().next().unwrap_or("").to_string();

        let response = http
            .post(format!("{server}/api/v1/admin/session"))
            .header("content-type", "application/json")
            .body(json!({"username": args.username, "password": password}).to_string())
            .send()
            .with_context(|| format!("cannot reach the server at {server}"))?;
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::to_string);
        let status = response.status().as_u16();
        let body: Value =
            serde_json::from_slice(&response.bytes().unwrap_or_default()).unwrap_or_default();
        let (Some(cookie), Some(csrf_token)) = (cookie, body["csrf_token"].as_str()) else {
            bail!(
                "login as {} failed with HTTP {status}: {body}",
                args.username
            );
        };
        Ok(Session {
            http,
            server,
            cookie,
            csrf_token: csrf_token.to_string(),
        })
    }

    /// Sends one admin request and returns the JSON response, failing on any status above 299.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.server))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf_token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send()?;
        let status = response.status().as_u16();
        let answer: Value =
            serde_json::from_slice(&response.bytes().unwrap_or_default()).unwrap_or_default();
        if status > 299 {
            bail!("{}", describe_error(path, status, &answer));
        }
        Ok(answer)
    }
}

/// Returns the server's error text in Bahasa Indonesia, the admin's language, with the
/// path, status and error id for a script or a bug report. A body without the text (from a
/// proxy, say) is shown as it came.
fn describe_error(path: &str, status: u16, answer: &Value) -> String {
    let error = &answer["error"];
    match (error["messages"]["id"].as_str(), error["id"].as_str()) {
        (Some(text), Some(id)) => format!("{text} ({path}: HTTP {status}, {id})"),
        _ => format!("{path} returned HTTP {status}: {answer}"),
    }
}

fn parse_polygon(text: &str) -> anyhow::Result<Vec<Value>> {
    let mut vertices = Vec::new();
    for pair in text.split_whitespace() {
        let (lat, lon) = pair
            .split_once(',')
            .with_context(|| format!("polygon vertex {pair:?} is not lat,lon"))?;
        let lat: f64 = lat
            .parse()
            .with_context(|| format!("latitude {lat:?} is not a number"))?;
        let lon: f64 = lon
            .parse()
            .with_context(|| format!("longitude {lon:?} is not a number"))?;
        vertices.push(json!({"lat": lat, "lon": lon}));
    }
    if vertices.len() < 3 {
        bail!(
            "a polygon needs at least 3 vertices, found {}",
            vertices.len()
        );
    }
    Ok(vertices)
}

pub fn run(args: AdminArgs) -> anyhow::Result<()> {
    let session = Session::login(&args)?;
    let (answer, key) = match &args.command {
        AdminCommand::OpdAdd { name } => (
            session.call("POST", "/api/v1/admin/opd", Some(json!({"name": name})))?,
            "id",
        ),
        AdminCommand::OfficeAdd {
            code,
            name,
            opd_id,
            time_zone,
            polygon,
        } => {
            let body = json!({
                "code": code, "name": name, "opd_id": opd_id, "time_zone": time_zone,
                "fences": [{"type": "polygon", "exterior": parse_polygon(polygon)?}],
            });
            (
                session.call("POST", "/api/v1/admin/offices", Some(body))?,
                "id",
            )
        }
        AdminCommand::AsnAdd { nip, name, opd_id } => {
            let body = json!({"nip": nip, "name": name, "opd_id": opd_id});
            (
                session.call("POST", "/api/v1/admin/asn", Some(body))?,
                "nip",
            )
        }
        AdminCommand::Assign {
            nip,
            office_id,
            from,
            until,
        } => {
            let body = json!({"nip": nip, "office_id": office_id, "valid_from": from, "valid_until": until});
            (
                session.call("POST", "/api/v1/admin/assignments", Some(body))?,
                "id",
            )
        }
        AdminCommand::Code { nip, valid_minutes } => {
            let body = json!({"nip": nip, "valid_minutes": valid_minutes});
            (
                session.call("POST", "/api/v1/admin/enrollment-codes", Some(body))?,
                "code",
            )
        }
        AdminCommand::Checkins { date } => {
            let path = match date {
                Some(date) => format!("/api/v1/admin/checkins?date={date}"),
                None => "/api/v1/admin/checkins".to_string(),
            };
            let answer = session.call("GET", &path, None)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                print_checkins(&answer);
            }
            return Ok(());
        }
    };

    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        match &answer[key] {
            Value::String(text) => println!("{text}"),
            other => println!("{other}"),
        }
    }
    Ok(())
}

/// Prints one line per check-in, in the admin's language (Bahasa Indonesia).
fn print_checkins(list: &Value) {
    for line in format_checkins(list) {
        println!("{line}");
    }
}

/// Formats the header and one line per check-in. Times are in the office's zone (WIB, WITA or
/// WIT), and flags are shown as their catalog ids, as in the title of each flag on the pages.
fn format_checkins(list: &Value) -> Vec<String> {
    let locale = Locale::Id;
    let empty = Vec::new();
    let rows = list.as_array().unwrap_or(&empty);
    let count = rows.len().to_string();
    let mut lines = vec![messages::format(
        "admin_cli.checkins_header",
        locale,
        &[("count", &count)],
    )];
    for row in rows {
        let text = |field: &str| row[field].as_str().unwrap_or("-").to_string();
        let number = |field: &str| row[field].as_i64().unwrap_or(0);
        let label = |prefix: &str, name: String| {
            messages::text(&format!("admin_cli.{prefix}_{name}"), locale)
                .map(str::to_string)
                .unwrap_or(name)
        };
        let flags = text("flags").replace(',', ", ");
        let distance = row["distance_m"]
            .as_f64()
            .map(|metres| format!("{metres:.0} m"))
            .unwrap_or_else(|| "-".to_string());
        let zone_name = row["office_time_zone"].as_str().unwrap_or("Asia/Jakarta");
        let time = format_office_time(number("trusted_time_ms"), zone_name);
        let status = text("status");
        let status = messages::text(&format!("admin.status_{status}"), locale)
            .map(str::to_string)
            .unwrap_or(status);
        let line = messages::format(
            "admin_cli.checkin_line",
            locale,
            &[
                ("time", &time),
                ("kind", &label("kind", text("kind"))),
                ("nip", &text("nip")),
                ("name", &text("asn_name")),
                ("office", &text("office_name")),
                ("lat", &format!("{:.6}", number("latitude_e7") as f64 / 1e7)),
                (
                    "lon",
                    &format!("{:.6}", number("longitude_e7") as f64 / 1e7),
                ),
                ("accuracy_m", &(number("accuracy_mm") / 1000).to_string()),
                ("distance", &distance),
                ("device_verdict", &label("verdict", text("device_verdict"))),
                ("server_verdict", &label("verdict", text("server_verdict"))),
                ("flags", &flags),
                ("status", &status),
            ],
        );
        lines.push(format!("- {line}"));
    }
    lines
}

/// Formats `time_ms` in the office zone `zone_name` with its abbreviation. An unknown zone
/// (an older server sends none) falls back to WIB.
fn format_office_time(time_ms: i64, zone_name: &str) -> String {
    let (zone_name, abbreviation) = match zone_name {
        "Asia/Makassar" => ("Asia/Makassar", "WITA"),
        "Asia/Jayapura" => ("Asia/Jayapura", "WIT"),
        _ => ("Asia/Jakarta", "WIB"),
    };
    let Ok(zone) = siperlu_core::time::parse_office_zone(zone_name) else {
        return String::new();
    };
    chrono::DateTime::from_timestamp_millis(time_ms)
        .map(|utc| {
            format!(
                "{} {abbreviation}",
                utc.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S")
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod test {
    use super::*;

    /// Wraps the admin options in a command, as `siperlu admin` does.
    #[derive(clap::Parser)]
    struct AdminCli {
        #[command(flatten)]
        admin: AdminArgs,
    }

    #[test]
    fn every_admin_option_has_help() {
        let command = <AdminCli as clap::CommandFactory>::command();
        let mut missing = Vec::new();
        let commands = std::iter::once(&command).chain(command.get_subcommands());
        for subcommand in commands {
            for argument in subcommand.get_arguments() {
                if argument.get_id() != "help" && argument.get_help().is_none() {
                    missing.push(format!("{} --{}", subcommand.get_name(), argument.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "options without help: {missing:?}");
    }

    #[test]
    fn checkins_use_office_zone_and_indonesian() {
        // 2026-12-04 00:30 UTC is 08:30 WITA.
        let list = json!([{
            "trusted_time_ms": 1_796_344_200_000_i64,
            "kind": "check_in",
            "nip": "198501012010011001",
            "asn_name": "Siti",
            "office_name": "Kantor Bupati Gowa",
            "office_time_zone": "Asia/Makassar",
            "latitude_e7": -52_000_000,
            "longitude_e7": 1_194_000_000,
            "accuracy_mm": 8_000,
            "distance_m": 0.0,
            "device_verdict": "inside",
            "server_verdict": "inside",
            "flags": "",
            "status": "pending",
        }]);
        let lines = format_checkins(&list);
        assert_eq!(lines.len(), 2);
        assert!(
            lines[1].starts_with("- 2026-12-04 08:30:00 WITA presensi masuk"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains("status Menunggu"), "{}", lines[1]);
        assert!(!lines[1].contains("pending"), "{}", lines[1]);
    }

    #[test]
    fn office_time_falls_back_to_wib() {
        assert_eq!(
            format_office_time(1_796_344_200_000, "Europe/Paris"),
            "2026-12-04 07:30:00 WIB"
        );
        assert_eq!(
            format_office_time(1_796_344_200_000, "Asia/Jayapura"),
            "2026-12-04 09:30:00 WIT"
        );
    }
}
