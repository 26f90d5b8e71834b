//! Support for the end-to-end tests in `tests/`: a real siperlu server started in-process on
//! 127.0.0.1 with a real SQLite file, an admin client for its JSON API, a fault-injecting TCP
//! proxy to put between a phone and the server, and a simulated phone (a real store and the
//! real face engine) enrolled from real photos.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Password of the first admin of every test server.
pub const ADMIN_PASSWORD: &str = "kata-sandi-uji-sinkron-2026";

/// A running server, its runtime and its files. Dropping it stops the server.
pub struct TestServer {
    pub address: SocketAddr,
    pub db_path: PathBuf,
    pub folder: tempfile::TempDir,
    pub runtime: tokio::runtime::Runtime,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
    }
}

impl TestServer {
    /// Starts a server on 127.0.0.1 (a free port) with a new database; the device rate limit
    /// is raised so that retry loops are limited by the faults, not by the limiter.
    pub fn start() -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let folder = tempfile::tempdir().expect("temp dir");
        let db_path = folder.path().join("server.db");
        let password_file = folder.path().join("admin-password");
        std::fs::write(&password_file, format!("{ADMIN_PASSWORD}\n")).expect("password file");

        let mut config = siperlu_server::ServerConfig::new(
            db_path.clone(),
            "127.0.0.1:0".parse().expect("address"),
        );
        config.admin_password_file = Some(password_file);
        config.device_rate_per_s = 100.0;
        config.device_burst = 200;
        let server = runtime
            .block_on(siperlu_server::bind(config))
            .expect("bind server");
        let address = server.local_addr().expect("bound address");
        let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(async move {
            let _ = server
                .serve_until(async {
                    let _ = receiver.await;
                })
                .await;
        });
        TestServer {
            address,
            db_path,
            folder,
            runtime,
            shutdown: Some(sender),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Returns the ids of the records stored on the server, with how often each occurs.
    pub fn stored_record_ids(&self) -> Vec<(String, i64)> {
        let connection = rusqlite::Connection::open(&self.db_path).expect("open server db");
        let mut statement = connection
            .prepare("SELECT id, count(*) FROM records GROUP BY id ORDER BY id")
            .expect("query records");
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("read rows")
    }
}

/// An admin logged in to the admin JSON API.
pub struct Admin {
    http: reqwest::blocking::Client,
    url: String,
    cookie: String,
    csrf_token: String,
}

impl Admin {
    pub fn login(url: &str) -> Admin {
        #[allow(deprecated)] // ring's provider, as the app uses it
        let provider = rustls::crypto::ring::default_provider();
        let _ = provider.install_default();
        let http = reqwest::blocking::Client::new();
        let response = http
            .post(format!("{url}/api/v1/admin/session"))
            .header("content-type", "application/json")
            .body(json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string())
            .send()
            .expect("login request");
        assert_eq!(response.status().as_u16(), 200, "admin login");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .expect("session cookie")
            .to_string();
        let body: Value = serde_json::from_slice(&response.bytes().expect("body")).expect("json");
        Admin {
            http,
            url: url.to_string(),
            cookie,
            csrf_token: body["csrf_token"].as_str().expect("csrf token").to_string(),
        }
    }

    /// Sends a request and returns (status, JSON body).
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                format!("{}{path}", self.url),
            )
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf_token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().expect("admin request");
        let status = response.status().as_u16();
        let bytes = response.bytes().expect("body");
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    fn create(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.call("POST", path, Some(body));
        assert_eq!(status, 201, "{path}: {answer}");
        answer
    }

    /// Creates an OPD, an office with a polygon fence around (`lat`, `lon`) about 290 m across
    /// in WIB, an ASN with `nip` assigned to it from yesterday for a month, and returns an
    /// enrollment code for the ASN's phone.
    pub fn office_asn_and_code(&self, code: &str, nip: &str, lat: f64, lon: f64) -> String {
        let opd = self.create("/api/v1/admin/opd", json!({"name": format!("OPD {code}")}));
        let d = 0.0013;
        let office = self.create(
            "/api/v1/admin/offices",
            json!({"code": code, "name": format!("Kantor {code}"), "opd_id": opd["id"], "time_zone": "Asia/Jakarta",
                "fences": [{"type": "polygon", "exterior": [
                    {"lat": lat + d, "lon": lon - d}, {"lat": lat + d, "lon": lon + d},
                    {"lat": lat - d, "lon": lon + d}, {"lat": lat - d, "lon": lon - d}]}]}),
        );
        self.create(
            "/api/v1/admin/asn",
            json!({"nip": nip, "name": "ASN Uji", "opd_id": opd["id"]}),
        );
        let today = chrono::Utc::now().date_naive();
        self.create(
            "/api/v1/admin/assignments",
            json!({"nip": nip, "office_id": office["id"],
                "valid_from": (today - chrono::Duration::days(1)).to_string(),
                "valid_until": (today + chrono::Duration::days(30)).to_string()}),
        );
        let answer = self.create(
            "/api/v1/admin/enrollment-codes",
            json!({"nip": nip, "valid_minutes": 60}),
        );
        answer["code"].as_str().expect("code").to_string()
    }
}

/// What the proxy does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward it and return the answer.
    Pass,
    /// Close the connection without reading the request.
    DropConnection,
    /// Wait this long, then forward (a client with a shorter timeout gives up first; the
    /// server still gets the request).
    Delay(Duration),
    /// Answer 500 without forwarding.
    Answer500,
    /// Forward it, wait for the server's full answer (so the server has stored the batch),
    /// then close the connection without passing the answer on.
    DropResponse,
}

/// The faults still to apply, and what happened, shared with the proxy task.
#[derive(Debug, Default)]
pub struct FaultScript {
    /// Faults for the next requests whose path starts with the target prefix, in order;
    /// requests after the last fault pass.
    pub queue: VecDeque<Fault>,
    /// Requests seen: (path, fault applied).
    pub log: Vec<(String, Fault)>,
}

/// A TCP proxy on 127.0.0.1 between the phone and the server, one request per connection.
pub struct FaultProxy {
    pub address: SocketAddr,
    pub script: Arc<Mutex<FaultScript>>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` on `runtime`; faults apply to paths starting with
    /// `target_prefix`.
    pub fn start(
        runtime: &tokio::runtime::Runtime,
        upstream: SocketAddr,
        target_prefix: &'static str,
    ) -> FaultProxy {
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind proxy");
        let address = listener.local_addr().expect("proxy address");
        let script = Arc::new(Mutex::new(FaultScript::default()));
        let shared = script.clone();
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let script = shared.clone();
                tokio::spawn(async move {
                    let _ = handle(client, upstream, target_prefix, script).await;
                });
            }
        });
        FaultProxy { address, script }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues faults for the next target requests.
    pub fn push_faults(&self, faults: &[Fault]) {
        self.script
            .lock()
            .expect("script")
            .queue
            .extend(faults.iter().copied());
    }

    /// Returns the faults applied to requests whose path starts with `prefix`, in order.
    pub fn applied(&self, prefix: &str) -> Vec<Fault> {
        let script = self.script.lock().expect("script");
        script
            .log
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, fault)| *fault)
            .collect()
    }
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body) from `stream`.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Ok(data);
            }
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        data.extend_from_slice(&buffer[..read]);
    }
}

/// Rewrites the request so that the server closes the connection after its answer.
fn with_connection_close(request: &[u8]) -> Vec<u8> {
    let end = request
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or(request.len());
    let head = String::from_utf8_lossy(&request[..end]);
    let mut rewritten: Vec<String> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .map(str::to_string)
        .collect();
    rewritten.push("connection: close".to_string());
    let mut bytes = rewritten.join("\r\n").into_bytes();
    bytes.extend_from_slice(&request[end..]);
    bytes
}

async fn forward(upstream: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&with_connection_close(request)).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    Ok(answer)
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    target_prefix: &str,
    script: Arc<Mutex<FaultScript>>,
) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    let path = String::from_utf8_lossy(&request)
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string();
    let fault = {
        let mut script = script.lock().expect("script");
        let fault = if path.starts_with(target_prefix) {
            script.queue.pop_front().unwrap_or(Fault::Pass)
        } else {
            Fault::Pass
        };
        script.log.push((path, fault));
        fault
    };

    match fault {
        Fault::DropConnection => Ok(()),
        Fault::Answer500 => {
            let body = r#"{"error":{"id":"test.injected","message":"injected by the test proxy"}}"#;
            let answer = format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await
        }
        Fault::DropResponse => {
            forward(upstream, &request).await?;
            Ok(())
        }
        Fault::Delay(pause) => {
            tokio::time::sleep(pause).await;
            let answer = forward(upstream, &request).await?;
            client.write_all(&answer).await
        }
        Fault::Pass => {
            let answer = forward(upstream, &request).await?;
            client.write_all(&answer).await
        }
    }
}

/// Returns the path of a test photo fetched by scripts/setup.
pub fn photo(name: &str) -> PathBuf {
    siperlu_core::assets::test_photo(&format!("face_recognition/{name}"))
}

/// Reads a test photo.
pub fn photo_bytes(name: &str) -> Vec<u8> {
    let path = photo(name);
    std::fs::read(&path)
        .unwrap_or_else(|error| panic!("{}: {error}; run scripts/setup first", path.display()))
}
