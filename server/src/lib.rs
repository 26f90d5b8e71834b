//! siperlu-server: the backend that phones sync to and admins verify check-ins on.
//!
//! It links siperlu-core without the on-device features, so it runs the same NIP validation
//! and request-signature code as the phone. One command (`siperlu server`) opens or creates a
//! SQLite database, creates the server's signing key and the first admin account, and serves:
//!
//! - the device API under `/api/v1` (registration, signed configuration, time anchor, work
//!   plans), authenticated by signed requests;
//! - the admin JSON API under `/api/v1/admin` and the admin web pages under `/admin`,
//!   authenticated by a session cookie and CSRF tokens;
//! - `/healthz`, `/metrics` (Prometheus) and `/api/v1/openapi.json`.

#![recursion_limit = "256"]

pub mod admin;
pub mod api;
pub mod auth;
pub mod checkins;
pub mod db;
pub mod device_auth;
pub mod error;
pub mod export;
pub mod extract;
pub mod fences;
pub mod html;
pub mod ingest;
pub mod keys;
pub mod map;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod rate_limit;
pub mod telemetry;
pub mod trusted_time;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Default largest request body, in bytes: a batch of 100 signed records fits with room.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Default largest distance between a signed request's timestamp and server time.
pub const DEFAULT_REQUEST_WINDOW_MS: i64 = 5 * 60 * 1000;

/// Options of `siperlu server`.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The SQLite database file; the server key is kept beside it.
    pub db_path: PathBuf,
    /// Address to listen on, for example 127.0.0.1:8080.
    pub listen: SocketAddr,
    /// File holding the first admin's password; without it a one-time password is printed.
    pub admin_password_file: Option<PathBuf>,
    pub max_body_bytes: usize,
    pub request_window_ms: i64,
    /// Sustained requests per second allowed per device, and its burst.
    pub device_rate_per_s: f64,
    pub device_burst: u32,
    /// Sustained requests per second allowed per client IP address, and its burst.
    pub ip_rate_per_s: f64,
    pub ip_burst: u32,
    /// Limits shipped to every phone in its signed configuration and applied again at ingest.
    pub device_policy: siperlu_core::policy::DevicePolicy,
    /// The URL that admins open in their browser, such as `https://presensi.example.go.id`.
    /// With https the cookies get `Secure` and the `__Host-` prefix. Without it, or with
    /// http, they have neither, which suits development and tests on 127.0.0.1.
    pub public_url: Option<String>,
}

impl ServerConfig {
    /// Returns a configuration with the default limits.
    pub fn new(db_path: PathBuf, listen: SocketAddr) -> ServerConfig {
        ServerConfig {
            db_path,
            listen,
            admin_password_file: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_window_ms: DEFAULT_REQUEST_WINDOW_MS,
            device_rate_per_s: 2.0,
            device_burst: 20,
            ip_rate_per_s: 50.0,
            ip_burst: 200,
            device_policy: siperlu_core::policy::DevicePolicy::default(),
            public_url: None,
        }
    }
}

/// Reasons the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("cannot create the first admin account: {0}")]
    Admin(#[from] auth::AuthError),
    #[error("cannot read admin password file {path}: {source}")]
    PasswordFile {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "invalid public URL {value:?}: {reason}; give the address admins open, such as https://presensi.example.go.id"
    )]
    PublicUrl { value: String, reason: &'static str },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<ServerConfig>,
    pub db: db::Db,
    pub key: Arc<keys::ServerKey>,
    pub device_limiter: Arc<rate_limit::RateLimiter>,
    pub ip_limiter: Arc<rate_limit::RateLimiter>,
    pub metrics: Arc<metrics::Metrics>,
    pub cookies: auth::CookiePolicy,
}

/// Milliseconds since the Unix epoch by the server clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
}

/// Chooses the cookie policy for the server's public URL: `Secure` cookies for https.
pub fn cookie_policy_for(public_url: Option<&str>) -> Result<auth::CookiePolicy, ServerError> {
    let Some(value) = public_url else {
        return Ok(auth::CookiePolicy { secure: false });
    };
    let invalid = |reason| ServerError::PublicUrl {
        value: value.to_string(),
        reason,
    };
    let (scheme, rest) = value
        .split_once("://")
        .ok_or_else(|| invalid("it has no scheme"))?;
    let secure = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(invalid("the scheme must be https or http")),
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(invalid("it has no host"));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(invalid("it contains whitespace"));
    }
    Ok(auth::CookiePolicy { secure })
}

/// A server with its socket bound and its database ready, not yet serving.
pub struct BoundServer {
    listener: tokio::net::TcpListener,
    state: AppState,
    /// The generated password of the first admin, when one was created without a password
    /// file.
    pub one_time_password: Option<String>,
}

impl BoundServer {
    /// Returns the address actually bound (useful with port 0).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Serves until the future `shutdown` completes.
    pub async fn serve_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Serve)
    }
}

/// Opens the database and the key, binds the listen address, then creates the first admin
/// account if there is none.
pub async fn bind(config: ServerConfig) -> Result<BoundServer, ServerError> {
    let cookies = cookie_policy_for(config.public_url.as_deref())?;
    let db = db::Db::open(&config.db_path)?;
    let key = keys::ServerKey::load_or_create(&keys::key_path_for(&config.db_path))?;

    let password = match &config.admin_password_file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|source| ServerError::PasswordFile {
                    path: path.display().to_string(),
                    source,
                })?;
            Some(text.trim_end_matches(['\n', '\r']).to_string())
        }
        None => None,
    };

    // Bind before the first admin account exists: a start that cannot listen must not leave
    // an account whose one-time password was never printed.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Listen {
            address: config.listen,
            source,
        })?;
    let one_time_password = db.call_blocking(|connection| {
        auth::ensure_first_admin(connection, password.as_deref(), now_ms())
    })?;

    let state = AppState {
        device_limiter: Arc::new(rate_limit::RateLimiter::new(
            config.device_rate_per_s,
            config.device_burst,
        )),
        ip_limiter: Arc::new(rate_limit::RateLimiter::new(
            config.ip_rate_per_s,
            config.ip_burst,
        )),
        config: Arc::new(config),
        db,
        key: Arc::new(key),
        metrics: Arc::new(metrics::Metrics::default()),
        cookies,
    };
    Ok(BoundServer {
        listener,
        state,
        one_time_password,
    })
}

/// Runs the server until Ctrl-C: `siperlu server`.
pub async fn run(config: ServerConfig) -> Result<(), ServerError> {
    let public_url = config.public_url.clone();
    let server = bind(config).await?;
    if let Some(password) = &server.one_time_password {
        // Printed once, on the first start only; the database keeps only its hash.
        println!("Admin account \"admin\" created. One-time password: {password}");
        println!("Store it now: it is not shown again.");
    }
    if let Some(address) = server.local_addr() {
        tracing::info!(%address, "siperlu server listening");
        println!(
            "Admin pages: {}",
            admin_pages_url(public_url.as_deref(), address)
        );
        println!("siperlu server listening on http://{address}");
    }
    server
        .serve_until(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutdown requested");
        })
        .await
}

/// Returns the address of the admin pages: under the public URL when one is set, else on the
/// bound address.
fn admin_pages_url(public_url: Option<&str>, address: SocketAddr) -> String {
    match public_url {
        Some(url) => format!("{}/admin", url.trim_end_matches('/')),
        None => format!("http://{address}/admin"),
    }
}

/// Builds the HTTP router with every route and middleware.
pub fn router(state: AppState) -> Router {
    let device_api = Router::new()
        .route("/api/v1/devices/register", post(api::register))
        .route("/api/v1/config", get(api::get_config))
        .route("/api/v1/time", get(api::get_time))
        .route("/api/v1/records", post(ingest::post_records))
        .route(
            "/api/v1/plans/{date}",
            get(api::get_plan).put(api::put_plan),
        );

    let admin_api = Router::new()
        .route(
            "/api/v1/admin/session",
            post(admin::post_session).delete(admin::delete_session),
        )
        .route(
            "/api/v1/admin/opd",
            get(admin::get_opd).post(admin::post_opd),
        )
        .route(
            "/api/v1/admin/offices",
            get(admin::get_offices).post(admin::post_office),
        )
        .route(
            "/api/v1/admin/asn",
            get(admin::get_asn).post(admin::post_asn),
        )
        .route(
            "/api/v1/admin/assignments",
            get(admin::get_assignments).post(admin::post_assignment),
        )
        .route(
            "/api/v1/admin/enrollment-codes",
            post(admin::post_enrollment_code),
        )
        .route("/api/v1/admin/devices", get(admin::get_devices))
        .route(
            "/api/v1/admin/devices/{id}/revoke",
            post(admin::post_revoke_device),
        )
        .route("/api/v1/admin/checkins", get(checkins::get_checkins));

    Router::new()
        .merge(device_api)
        .merge(admin_api)
        .merge(pages::routes())
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/admin") }),
        )
        .route("/api/v1/openapi.json", get(openapi::get_openapi))
        .route("/healthz", get(telemetry::healthz))
        .route("/metrics", get(telemetry::get_metrics))
        .fallback(telemetry::not_found)
        .method_not_allowed_fallback(telemetry::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            telemetry::limit_by_address,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            telemetry::trace_request,
        ))
        .with_state(state)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn public_url_sets_cookie_policy() {
        let cases = [
            (None, false),
            (Some("https://presensi.example.go.id"), true),
            (Some("HTTPS://presensi.example.go.id/admin"), true),
            (Some("http://127.0.0.1:8080"), false),
        ];
        for (url, secure) in cases {
            let policy = cookie_policy_for(url).expect("valid public URL");
            assert_eq!(policy.secure, secure, "{url:?}");
        }
    }

    #[test]
    fn admin_pages_url_prefers_public_url() {
        let address: SocketAddr = "127.0.0.1:8080".parse().expect("address");
        assert_eq!(
            admin_pages_url(None, address),
            "http://127.0.0.1:8080/admin"
        );
        assert_eq!(
            admin_pages_url(Some("https://presensi.example.go.id/"), address),
            "https://presensi.example.go.id/admin"
        );
    }

    #[test]
    fn invalid_public_url_rejected() {
        let cases = [
            ("presensi.example.go.id", "no scheme"),
            ("ftp://presensi.example.go.id", "https or http"),
            ("https://", "no host"),
            ("https:///admin", "no host"),
            ("https://presensi example", "whitespace"),
        ];
        for (url, reason) in cases {
            let error = cookie_policy_for(Some(url)).expect_err(url);
            let message = error.to_string();
            assert!(message.contains(reason), "{url}: {message}");
            assert!(message.contains(url), "{url}: {message}");
        }
    }
}
