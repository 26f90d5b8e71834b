//! Test support: a real siperlu server on 127.0.0.1 with a real SQLite file in a temp dir, a
//! small HTTP/1.1 client, an admin session, and simulated phones that sign requests and
//! records with real Ed25519 keys. The phone's camera, GPS and clocks are simulated: each record
//! carries a fix and face verdict the test chooses, and the phone's elapsed-since-boot clock is
//! the server's clock minus a simulated boot moment. Trusted time comes from the same core
//! function a real phone runs, on anchors fetched from the server.

#![allow(dead_code)]

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use siperlu_core::record::{
    ActiveLiveness, AttendanceKind, AttendanceRecord, GENESIS_HASH, GeofenceCode,
    RECORD_FORMAT_VERSION, RecordAnchor, RecordFace, RecordGeofence, RecordLocation, SignedRecord,
};
use siperlu_core::request_auth::{RequestParts, sign_request};
use siperlu_core::time::{ClockReading, TimeAnchor, TimePolicy, estimate_trusted_time};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const ADMIN_PASSWORD: &str = "kata-sandi-uji-coba-123";
/// The office fence: a 150 m circle around the Bogor city hall.
pub const OFFICE_LAT: f64 = -6.5950;
pub const OFFICE_LON: f64 = 106.7967;

/// A running server and where its files live.
pub struct TestServer {
    pub address: SocketAddr,
    pub folder: tempfile::TempDir,
    pub db_path: PathBuf,
    config: siperlu_server::ServerConfig,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}

/// Starts a server; `tune` may change the configuration before it binds.
pub async fn start_server(tune: impl FnOnce(&mut siperlu_server::ServerConfig)) -> TestServer {
    let folder = tempfile::tempdir().expect("temp dir");
    let db_path = folder.path().join("siperlu.db");
    let password_file = folder.path().join("admin-password");
    std::fs::write(&password_file, format!("{ADMIN_PASSWORD}\n")).expect("write password file");

    let mut config =
        siperlu_server::ServerConfig::new(db_path.clone(), "127.0.0.1:0".parse().expect("address"));
    config.admin_password_file = Some(password_file);
    tune(&mut config);
    let (address, shutdown, serving) = serve(config.clone()).await;
    TestServer {
        address,
        folder,
        db_path,
        config,
        shutdown: Some(shutdown),
        serving: Some(serving),
    }
}

async fn serve(
    config: siperlu_server::ServerConfig,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let server = siperlu_server::bind(config).await.expect("bind server");
    let address = server.local_addr().expect("bound address");
    let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        server
            .serve_until(async {
                let _ = receiver.await;
            })
            .await
            .expect("serve");
    });
    (address, sender, serving)
}

impl TestServer {
    /// Stops the server, waits until it has stopped, and starts a new one on the same
    /// database file and configuration. The new server listens on a new port.
    pub async fn restart(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
        if let Some(serving) = self.serving.take() {
            serving.await.expect("server task ended cleanly");
        }
        let (address, shutdown, serving) = serve(self.config.clone()).await;
        self.address = address;
        self.shutdown = Some(shutdown);
        self.serving = Some(serving);
    }
}

/// A response as received.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// Returns the error id of a JSON error body.
    pub fn error_id(&self) -> String {
        self.json()["error"]["id"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Sends one HTTP/1.1 request on a fresh connection and reads the whole response.
pub async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write head");
    // The server may respond early (413) and close, so a failed body write is expected then.
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no header end in response: {}",
                String::from_utf8_lossy(raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// An admin logged in through the JSON API.
#[derive(Clone)]
pub struct Admin {
    pub address: SocketAddr,
    pub cookie: String,
    pub csrf_token: String,
}

pub async fn login_admin(address: SocketAddr) -> Admin {
    let body = json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string();
    let reply = send(
        address,
        "POST",
        "/api/v1/admin/session",
        &[("content-type", "application/json".into())],
        body.as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 200, "login: {}", reply.text());
    let set_cookie = reply.header("set-cookie").expect("session cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie
        .split(';')
        .next()
        .expect("cookie pair")
        .to_string();
    Admin {
        address,
        cookie,
        csrf_token: reply.json()["csrf_token"]
            .as_str()
            .expect("csrf token")
            .to_string(),
    }
}

impl Admin {
    pub async fn get(&self, path: &str) -> Reply {
        send(
            self.address,
            "GET",
            path,
            &[("cookie", self.cookie.clone())],
            b"",
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        send(
            self.address,
            "POST",
            path,
            &[
                ("cookie", self.cookie.clone()),
                ("content-type", "application/json".into()),
                ("x-csrf-token", self.csrf_token.clone()),
            ],
            body.to_string().as_bytes(),
        )
        .await
    }

    pub async fn post_form(&self, path: &str, form: &str) -> Reply {
        send(
            self.address,
            "POST",
            path,
            &[
                ("cookie", self.cookie.clone()),
                ("content-type", "application/x-www-form-urlencoded".into()),
            ],
            form.as_bytes(),
        )
        .await
    }

    /// Creates an OPD, an office named `office_name` around the test point, and returns
    /// (opd id, office id).
    pub async fn create_office(&self, code: &str, office_name: &str) -> (i64, i64) {
        let opd = self
            .post_json(
                "/api/v1/admin/opd",
                &json!({"name": format!("Dinas {code}")}),
            )
            .await;
        assert_eq!(opd.status, 201, "{}", opd.text());
        let opd_id = opd.json()["id"].as_i64().expect("opd id");
        let office = self
            .post_json(
                "/api/v1/admin/offices",
                &json!({
                    "code": code, "name": office_name, "opd_id": opd_id, "time_zone": "Asia/Jakarta",
                    "fences": [{"type": "circle", "center": {"lat": OFFICE_LAT, "lon": OFFICE_LON}, "radius_m": 150.0}]
                }),
            )
            .await;
        assert_eq!(office.status, 201, "{}", office.text());
        (opd_id, office.json()["id"].as_i64().expect("office id"))
    }

    /// Adds an ASN assigned to `office_id` from a month ago to a month ahead, and returns an
    /// enrollment code for it.
    pub async fn enroll_asn(&self, nip: &str, opd_id: i64, office_id: i64) -> String {
        let asn = self
            .post_json(
                "/api/v1/admin/asn",
                &json!({"nip": nip, "name": format!("ASN {}", &nip[15..]), "opd_id": opd_id}),
            )
            .await;
        assert_eq!(asn.status, 201, "{}", asn.text());
        let today = chrono::Utc::now().date_naive();
        let assignment = self
            .post_json(
                "/api/v1/admin/assignments",
                &json!({"nip": nip, "office_id": office_id,
                    "valid_from": (today - chrono::Duration::days(30)).to_string(),
                    "valid_until": (today + chrono::Duration::days(30)).to_string()}),
            )
            .await;
        assert_eq!(assignment.status, 201, "{}", assignment.text());
        self.new_code(nip).await
    }

    pub async fn new_code(&self, nip: &str) -> String {
        let code = self
            .post_json(
                "/api/v1/admin/enrollment-codes",
                &json!({"nip": nip, "valid_minutes": 60}),
            )
            .await;
        assert_eq!(code.status, 201, "{}", code.text());
        code.json()["code"].as_str().expect("code").to_string()
    }
}

/// Starts a server configured by `tune`, with one office, one enrolled ASN (serial 1) and its
/// registered phone.
pub async fn start_with_phone(
    tune: impl FnOnce(&mut siperlu_server::ServerConfig),
) -> (TestServer, Admin, Phone) {
    let server = start_server(tune).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let phone = register_phone(server.address, &nip, &code).await;
    (server, admin, phone)
}

/// Returns a valid NIP with the given serial (1..=999).
pub fn nip_with_serial(serial: u32) -> String {
    format!("198503122010011{serial:03}")
}

static NONCE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A simulated phone with its own Ed25519 key and record chain.
pub struct Phone {
    pub address: SocketAddr,
    pub key: Ed25519KeyPair,
    pub device_id: uuid::Uuid,
    pub nip: String,
    pub sequence: u64,
    pub previous_hash: [u8; 32],
    /// Id of the simulated boot.
    pub boot_id: String,
    /// Server-clock time of the simulated boot; the elapsed clock counts from it.
    pub boot_at_ms: i64,
    /// How far the phone's wall clock is set from the real time, in ms (negative: set back).
    pub wall_clock_offset_ms: i64,
    /// The latest anchor the phone fetched.
    pub anchor: Option<TimeAnchor>,
    /// The clock reading of the phone's previous record.
    pub previous_reading: Option<ClockReading>,
}

pub fn new_key() -> Ed25519KeyPair {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("generate key");
    Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("parse key")
}

pub fn now_ms() -> i64 {
    siperlu_server::now_ms()
}

/// Registers a phone; panics unless the server accepts it.
pub async fn register_phone(address: SocketAddr, nip: &str, code: &str) -> Phone {
    let key = new_key();
    let device_id = random_uuid();
    let reply = register_request(address, nip, code, &key, device_id).await;
    assert_eq!(reply.status, 201, "register: {}", reply.text());
    assert_eq!(
        reply.json()["device_id"].as_str(),
        Some(device_id.to_string().as_str())
    );
    let mut phone = Phone {
        address,
        key,
        device_id,
        nip: nip.to_string(),
        sequence: 0,
        previous_hash: GENESIS_HASH,
        boot_id: "boot-1".into(),
        boot_at_ms: now_ms() - 1_000_000,
        wall_clock_offset_ms: 0,
        anchor: None,
        previous_reading: None,
    };

    // A real phone fetches a time anchor before its first check-in; records claim it.
    phone.fetch_anchor().await;
    phone
}

pub async fn register_request(
    address: SocketAddr,
    nip: &str,
    code: &str,
    key: &Ed25519KeyPair,
    device_id: uuid::Uuid,
) -> Reply {
    register_with_template(address, nip, code, key, device_id, "template-1").await
}

/// Sends a registration request that names the face template `template_id`.
pub async fn register_with_template(
    address: SocketAddr,
    nip: &str,
    code: &str,
    key: &Ed25519KeyPair,
    device_id: uuid::Uuid,
    template_id: &str,
) -> Reply {
    let body = json!({
        "enrollment_code": code,
        "nip": nip,
        "device_public_key": hex::encode(key.public_key().as_ref()),
        "template_id": template_id,
        "device_id": device_id.to_string(),
    })
    .to_string();
    send(
        address,
        "POST",
        "/api/v1/devices/register",
        &[("content-type", "application/json".into())],
        body.as_bytes(),
    )
    .await
}

impl Phone {
    /// Signs `record` as the phone's next record, replacing the one the phone made before, so
    /// the phone's chain continues from this one.
    pub fn sign_instead(&mut self, record: &AttendanceRecord) -> SignedRecord {
        let signed = SignedRecord::sign(record, &self.key).expect("sign changed record");
        self.previous_hash = signed.hash();
        signed
    }

    /// Uploads one record and returns its result object.
    pub async fn upload_one(&self, signed: &SignedRecord) -> Value {
        let reply = self
            .signed("POST", "/api/v1/records", &batch_body(&[signed.as_bytes()]))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["results"][0].clone()
    }

    /// Returns the signature headers for a request, with a fresh nonce.
    pub fn sign(&self, method: &str, path: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let nonce = format!(
            "n{:016x}{:016x}",
            NONCE_COUNTER.fetch_add(1, Ordering::Relaxed),
            rand_u64()
        );
        let parts = RequestParts {
            method,
            path_and_query: path,
            timestamp_ms: now_ms(),
            nonce: &nonce,
            body,
        };
        let mut headers: Vec<(&'static str, String)> =
            sign_request(&self.key, &self.device_id.to_string(), &parts)
                .to_pairs()
                .into_iter()
                .collect();
        headers.push(("content-type", "application/json".into()));
        headers
    }

    pub async fn signed(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let headers = self.sign(method, path, body);
        send(self.address, method, path, &headers, body).await
    }

    /// Returns the simulated clocks now.
    pub fn read_clock(&self) -> ClockReading {
        let now = now_ms();
        ClockReading {
            wall_clock_ms: now + self.wall_clock_offset_ms,
            elapsed_ms: now - self.boot_at_ms,
            boot_id: self.boot_id.clone(),
        }
    }

    /// Fetches a time anchor from the server and keeps it, as the sync of a phone does.
    pub async fn fetch_anchor(&mut self) -> TimeAnchor {
        let sent_elapsed_ms = self.read_clock().elapsed_ms;
        let reply = self.signed("GET", "/api/v1/time", b"").await;
        assert_eq!(reply.status, 200, "time anchor: {}", reply.text());
        let document: Value =
            serde_json::from_str(reply.json()["document"].as_str().expect("document"))
                .expect("anchor document is JSON");
        let received = self.read_clock();
        let anchor = TimeAnchor {
            server_time_ms: document["server_time_ms"].as_i64().expect("server time"),
            elapsed_ms: received.elapsed_ms,
            boot_id: received.boot_id,
            round_trip_uncertainty_ms: ((received.elapsed_ms - sent_elapsed_ms) / 2 + 1) as u32,
        };
        self.anchor = Some(anchor.clone());
        anchor
    }

    /// Simulates a reboot: a new boot id and an elapsed clock starting again at 0. The anchor
    /// of the old boot stays stored, as on a phone, and trusted time ignores it.
    pub fn reboot(&mut self) {
        self.boot_id = format!("boot-{}", random_uuid());
        self.boot_at_ms = now_ms();
    }

    /// Makes the next record of this phone's chain at the office, inside the fence.
    pub fn next_record(&mut self) -> SignedRecord {
        self.next_record_at(OFFICE_LAT, OFFICE_LON, GeofenceCode::Inside)
    }

    pub fn next_record_at(&mut self, lat: f64, lon: f64, claimed: GeofenceCode) -> SignedRecord {
        self.sequence += 1;
        let now = now_ms();
        let reading = self.read_clock();
        let trusted = estimate_trusted_time(
            &reading,
            self.anchor.as_ref(),
            self.previous_reading.as_ref(),
            &TimePolicy::default(),
        );
        self.previous_reading = Some(reading.clone());
        let record = AttendanceRecord {
            format_version: RECORD_FORMAT_VERSION,
            record_id: uuid::Uuid::now_v7(),
            device_id: self.device_id,
            nip: self.nip.clone(),
            kind: AttendanceKind::CheckIn,
            wall_clock_ms: reading.wall_clock_ms,
            elapsed_ms: reading.elapsed_ms,
            boot_id: reading.boot_id.clone(),
            trusted_time_ms: trusted.time_ms,
            trusted_uncertainty_ms: trusted.uncertainty_ms,
            time_source: trusted.source,
            anchor: trusted.anchor.as_ref().map(RecordAnchor::from_time_anchor),
            zone_offset_minutes: 420,
            location: RecordLocation {
                latitude_e7: (lat * 1e7).round() as i32,
                longitude_e7: (lon * 1e7).round() as i32,
                accuracy_mm: 8_000,
                fix_time_ms: now - 2_000,
                provider: "gps".into(),
                mock: false,
            },
            geofence: RecordGeofence {
                code: claimed,
                office_id: "KB-01".into(),
                distance_mm: 0,
            },
            face: RecordFace {
                matched: true,
                score_milli: 720,
                liveness_milli: 980,
                active_liveness: ActiveLiveness::Passed,
            },
            reasons: trusted.flags.iter().map(|flag| flag.to_string()).collect(),
            template_id: "template-1".into(),
            model_ids: vec!["fr_feature".into()],
            sequence: self.sequence,
            previous_hash: self.previous_hash,
        };
        let signed = SignedRecord::sign(&record, &self.key).expect("sign record");
        self.previous_hash = signed.hash();
        signed
    }
}

impl Phone {
    /// Returns the body of `PUT /api/v1/plans/{today}` for a signed revision with these item
    /// titles, saved now; today is the attendance day in WIB.
    pub fn plan_body(&self, revision: u32, titles: &[&str]) -> (String, Vec<u8>) {
        use base64::Engine;
        use siperlu_core::plan::{PlanItem, PlanRevision, PlanStatus, SignedPlanRevision};
        let now = now_ms();
        let day = chrono::DateTime::from_timestamp_millis(now)
            .expect("now")
            .with_timezone(&chrono_tz::Asia::Jakarta)
            .date_naive();
        let plan = PlanRevision {
            device_id: self.device_id,
            nip: self.nip.clone(),
            day,
            revision,
            created_ms: now,
            items: titles
                .iter()
                .map(|title| PlanItem {
                    title: title.to_string(),
                    expected_output: "Laporan".into(),
                    window: None,
                    status: PlanStatus::Planned,
                    note: String::new(),
                })
                .collect(),
        };
        let signed = SignedPlanRevision::sign(&plan, &self.key).expect("sign plan");
        let body = json!({"signed_revision": base64::engine::general_purpose::STANDARD.encode(signed.as_bytes())});
        (
            format!("/api/v1/plans/{day}"),
            body.to_string().into_bytes(),
        )
    }
}

/// Builds the upload body for these signed records.
pub fn batch_body(records: &[&[u8]]) -> Vec<u8> {
    use base64::Engine;
    let encoded: Vec<String> = records
        .iter()
        .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
        .collect();
    json!({"records": encoded}).to_string().into_bytes()
}

/// Returns a random (version 4) UUID, as a phone's store creates for its device id.
pub fn random_uuid() -> uuid::Uuid {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).expect("random");
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn rand_u64() -> u64 {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 8];
    SystemRandom::new().fill(&mut bytes).expect("random");
    u64::from_le_bytes(bytes)
}

/// Counts rows of a table in the server's database file.
pub fn count_rows(server: &TestServer, table: &str) -> i64 {
    let connection = rusqlite::Connection::open(&server.db_path).expect("open database");
    connection
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("count rows")
}

/// Returns the flag ids of one upload result.
pub fn flags_of(result: &Value) -> Vec<String> {
    result["flags"]
        .as_array()
        .map(|flags| {
            flags
                .iter()
                .filter_map(|flag| flag.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
