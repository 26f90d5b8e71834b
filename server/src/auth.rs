//! Admin accounts and sessions: password hashing, login with lockout, session cookies and
//! CSRF tokens.
//!
//! Passwords are hashed with Argon2id (19 MiB, 2 passes, 1 lane). A session is a random token
//! in an HttpOnly, SameSite=Strict cookie; the database keeps only its SHA-256. Each session has
//! its own CSRF token that every form and every mutating admin JSON request must carry. Five
//! failed logins lock the account for 15 minutes.

use crate::db::DbError;
use crate::keys::{KeyError, random_bytes};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest;
use rusqlite::{Connection, OptionalExtension, params};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "siperlu_session";
/// Name of the cookie that carries the CSRF token of the login form (before any session).
pub const LOGIN_CSRF_COOKIE: &str = "siperlu_login_csrf";
/// Name of the session cookie when the public URL is https.
pub const SECURE_SESSION_COOKIE: &str = "__Host-siperlu_session";
/// Name of the login CSRF cookie when the public URL is https.
pub const SECURE_LOGIN_CSRF_COOKIE: &str = "__Host-siperlu_login_csrf";
/// Session lifetime.
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;
/// Shortest accepted admin password, in characters.
pub const MIN_PASSWORD_LENGTH: usize = 12;

const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;
const HASH_BYTES: usize = 32;
const SALT_BYTES: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the admin password has {length} characters; use at least 12")]
    PasswordTooShort { length: usize },
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("account is locked until {until_ms} ms after repeated failed logins")]
    Locked { until_ms: i64 },
}

impl From<rusqlite::Error> for AuthError {
    fn from(error: rusqlite::Error) -> Self {
        AuthError::Db(DbError::Sqlite(error))
    }
}

/// A logged-in admin.
#[derive(Debug, Clone)]
pub struct AdminSession {
    pub admin_id: i64,
    pub username: String,
    pub csrf_token: String,
}

/// A new session: the cookie token (shown once) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

fn hasher() -> Result<Argon2<'static>, AuthError> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_PASSES,
        ARGON2_LANES,
        Some(HASH_BYTES),
    )
    .map_err(|error| AuthError::Hash(error.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` into a self-describing string
/// `argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>` (base64url without padding).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = random_bytes(SALT_BYTES)?;
    let mut hash = [0u8; HASH_BYTES];
    hasher()?
        .hash_password_into(password.as_bytes(), &salt, &mut hash)
        .map_err(|error| AuthError::Hash(error.to_string()))?;
    Ok(format!(
        "argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_PASSES},p={ARGON2_LANES}${}${}",
        URL_SAFE_NO_PAD.encode(&salt),
        URL_SAFE_NO_PAD.encode(hash)
    ))
}

/// Checks `password` against a string from [`hash_password`], in constant time.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, AuthError> {
    let parts: Vec<&str> = stored.split('$').collect();
    let [algorithm, version, cost, salt, hash] = parts.as_slice() else {
        return Err(AuthError::Hash(
            "stored password hash has an unknown format".into(),
        ));
    };
    if *algorithm != "argon2id" || *version != "v=19" {
        return Err(AuthError::Hash(format!(
            "unsupported hash {algorithm} {version}"
        )));
    }
    let mut memory_kib = 0;
    let mut passes = 0;
    let mut lanes = 0;
    for pair in cost.split(',') {
        match pair.split_once('=') {
            Some(("m", value)) => memory_kib = value.parse().unwrap_or(0),
            Some(("t", value)) => passes = value.parse().unwrap_or(0),
            Some(("p", value)) => lanes = value.parse().unwrap_or(0),
            _ => {}
        }
    }

    let salt = URL_SAFE_NO_PAD
        .decode(salt)
        .map_err(|error| AuthError::Hash(error.to_string()))?;
    let expected = URL_SAFE_NO_PAD
        .decode(hash)
        .map_err(|error| AuthError::Hash(error.to_string()))?;
    let params = Params::new(memory_kib, passes, lanes, Some(expected.len()))
        .map_err(|error| AuthError::Hash(error.to_string()))?;

    let mut actual = vec![0u8; expected.len()];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, &mut actual)
        .map_err(|error| AuthError::Hash(error.to_string()))?;
    Ok(constant_time_eq(&actual, &expected))
}

/// Compares two byte strings without an early exit on the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Returns a random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> Result<String, AuthError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes(bytes)?))
}

fn token_hash(token: &str) -> Vec<u8> {
    digest::digest(&digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}

/// Creates the first admin account if there is none. Returns `Some(password)` when a one-time
/// password was generated (no password file given), so the caller can print it once.
pub fn ensure_first_admin(
    connection: &Connection,
    password_from_file: Option<&str>,
    now_ms: i64,
) -> Result<Option<String>, AuthError> {
    let count: i64 =
        connection.query_row("SELECT COUNT(*) FROM admin_users", [], |row| row.get(0))?;
    if count > 0 {
        return Ok(None);
    }

    let (password, generated) = match password_from_file {
        Some(password) => {
            let length = password.chars().count();
            if length < MIN_PASSWORD_LENGTH {
                return Err(AuthError::PasswordTooShort { length });
            }
            (password.to_string(), false)
        }
        None => (random_token(15)?, true),
    };
    let hash = hash_password(&password)?;
    connection.execute(
        "INSERT INTO admin_users (username, password_hash, created_at_ms) VALUES ('admin', ?1, ?2)",
        params![hash, now_ms],
    )?;
    tracing::info!(username = "admin", generated, "first admin account created");
    Ok(generated.then_some(password))
}

/// Checks the credentials, applies the lockout rule, and opens a session.
pub fn login(
    connection: &Connection,
    username: &str,
    password: &str,
    now_ms: i64,
) -> Result<NewSession, AuthError> {
    let row: Option<(i64, String, i64, Option<i64>)> = connection
        .query_row(
            "SELECT id, password_hash, failed_logins, locked_until_ms FROM admin_users WHERE username = ?1",
            params![username],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((admin_id, stored_hash, failed_logins, locked_until_ms)) = row else {
        // Hash anyway, so an unknown username takes as long as a wrong password.
        let _ = hash_password(password);
        return Err(AuthError::WrongCredentials);
    };
    if let Some(until_ms) = locked_until_ms
        && until_ms > now_ms
    {
        return Err(AuthError::Locked { until_ms });
    }

    if !verify_password(password, &stored_hash)? {
        let failed = if locked_until_ms.is_some() {
            1
        } else {
            failed_logins + 1
        };
        let locked_until = (failed >= MAX_FAILED_LOGINS).then_some(now_ms + LOCKOUT_MS);
        connection.execute(
            "UPDATE admin_users SET failed_logins = ?1, locked_until_ms = ?2 WHERE id = ?3",
            params![
                if locked_until.is_some() { 0 } else { failed },
                locked_until,
                admin_id
            ],
        )?;
        tracing::warn!(
            admin_id,
            failed,
            locked = locked_until.is_some(),
            "admin login failed"
        );
        return match locked_until {
            Some(until_ms) => Err(AuthError::Locked { until_ms }),
            None => Err(AuthError::WrongCredentials),
        };
    }

    connection.execute(
        "UPDATE admin_users SET failed_logins = 0, locked_until_ms = NULL WHERE id = ?1",
        params![admin_id],
    )?;
    let token = random_token(32)?;
    let csrf_token = random_token(24)?;
    connection.execute(
        "DELETE FROM admin_sessions WHERE expires_at_ms < ?1",
        params![now_ms],
    )?;
    connection.execute(
        "INSERT INTO admin_sessions (token_hash, admin_id, csrf_token, created_at_ms, expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash(&token), admin_id, csrf_token, now_ms, now_ms + SESSION_TTL_MS],
    )?;
    tracing::info!(admin_id, "admin logged in");
    Ok(NewSession { token, csrf_token })
}

/// Looks up the live session of a cookie token.
pub fn find_session(
    connection: &Connection,
    token: &str,
    now_ms: i64,
) -> Result<Option<AdminSession>, AuthError> {
    let session = connection
        .query_row(
            "SELECT s.admin_id, u.username, s.csrf_token FROM admin_sessions s
             JOIN admin_users u ON u.id = s.admin_id
             WHERE s.token_hash = ?1 AND s.expires_at_ms > ?2",
            params![token_hash(token), now_ms],
            |row| {
                Ok(AdminSession {
                    admin_id: row.get(0)?,
                    username: row.get(1)?,
                    csrf_token: row.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(session)
}

/// Ends the session of a cookie token.
pub fn logout(connection: &Connection, token: &str) -> Result<(), AuthError> {
    connection.execute(
        "DELETE FROM admin_sessions WHERE token_hash = ?1",
        params![token_hash(token)],
    )?;
    Ok(())
}

/// Returns the value of cookie `name` from a `Cookie` header.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// Cookie names and attributes, chosen by the server's public URL.
///
/// Behind https the cookies get the `Secure` attribute and the `__Host-` prefix, which browsers
/// accept only with `Secure`, `Path=/` and no `Domain`, so a sibling subdomain cannot set or
/// shadow them. Plain http (development, tests, a trusted LAN) keeps the bare names without
/// `Secure`, because browsers drop `Secure` cookies sent over http.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// Name of the session cookie.
    pub fn session_name(&self) -> &'static str {
        if self.secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    /// Name of the login form's CSRF cookie.
    pub fn login_csrf_name(&self) -> &'static str {
        if self.secure {
            SECURE_LOGIN_CSRF_COOKIE
        } else {
            LOGIN_CSRF_COOKIE
        }
    }

    /// Builds a `Set-Cookie` value for an HttpOnly, SameSite=Strict cookie under `/`, with
    /// `Secure` when the policy is secure.
    pub fn set_cookie(&self, name: &str, value: &str, max_age_s: i64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}")
    }

    /// Returns the session cookie's token from a request's headers, if any.
    pub fn session_token(&self, headers: &axum::http::HeaderMap) -> Option<String> {
        find_cookie(headers, self.session_name())
    }

    /// Returns the login CSRF cookie's token from a request's headers, if any.
    pub fn login_csrf_token(&self, headers: &axum::http::HeaderMap) -> Option<String> {
        find_cookie(headers, self.login_csrf_name())
    }
}

fn find_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookies| cookie_value(cookies, name).map(str::to_string))
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::db::Db;

    fn database() -> (tempfile::TempDir, Db) {
        let folder = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&folder.path().join("server.db")).expect("open database");
        (folder, db)
    }

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", &hash).expect("verify"));
        assert!(!verify_password("correct horse batterY", &hash).expect("verify"));
    }

    #[test]
    fn first_admin_from_file_then_login() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let printed = ensure_first_admin(c, Some("rahasia-sekali-123"), 1_000)?;
            assert!(printed.is_none());
            assert!(
                ensure_first_admin(c, None, 2_000)?.is_none(),
                "created only once"
            );
            let session = login(c, "admin", "rahasia-sekali-123", 3_000)?;
            let found = find_session(c, &session.token, 4_000)?.expect("live session");
            assert_eq!(found.username, "admin");
            assert_eq!(found.csrf_token, session.csrf_token);
            assert!(find_session(c, &session.token, 3_000 + SESSION_TTL_MS)?.is_none());
            logout(c, &session.token)?;
            assert!(find_session(c, &session.token, 4_000)?.is_none());
            Ok::<_, AuthError>(())
        })
        .expect("flow");
    }

    #[test]
    fn short_password_file_rejected() {
        let (_folder, db) = database();
        let error = db
            .call_blocking(|c| ensure_first_admin(c, Some("pendek"), 1_000))
            .expect_err("too short");
        assert!(matches!(error, AuthError::PasswordTooShort { length: 6 }));
    }

    #[test]
    fn lockout_after_failures() {
        let (_folder, db) = database();
        db.call_blocking(|c| {
            let password = ensure_first_admin(c, None, 0)?.expect("generated password");
            for attempt in 1..MAX_FAILED_LOGINS {
                let error = login(c, "admin", "salah", attempt).expect_err("wrong password");
                assert!(matches!(error, AuthError::WrongCredentials), "{error}");
            }
            let error = login(c, "admin", "salah", 10).expect_err("fifth failure");
            assert!(matches!(error, AuthError::Locked { .. }), "{error}");
            let error = login(c, "admin", &password, 20).expect_err("locked");
            assert!(matches!(error, AuthError::Locked { .. }), "{error}");
            login(c, "admin", &password, 10 + LOCKOUT_MS + 1)?;
            Ok::<_, AuthError>(())
        })
        .expect("flow");
    }

    #[test]
    fn cookie_parsing() {
        let header = "a=1; siperlu_session=abc; b=2";
        assert_eq!(cookie_value(header, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(header, "missing"), None);
    }

    #[test]
    fn cookie_policy_plain_http() {
        let policy = CookiePolicy { secure: false };
        let cookie = policy.set_cookie(policy.session_name(), "abc", 60);
        assert_eq!(
            cookie,
            "siperlu_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
    }

    #[test]
    fn cookie_policy_https() {
        let policy = CookiePolicy { secure: true };
        let cookie = policy.set_cookie(policy.session_name(), "abc", 60);
        assert!(
            cookie.starts_with("__Host-siperlu_session=abc;"),
            "{cookie}"
        );
        assert!(cookie.contains("; Path=/;"), "{cookie}");
        assert!(cookie.ends_with("; Secure"), "{cookie}");
        assert!(!cookie.contains("Domain"), "{cookie}");
        assert_eq!(policy.login_csrf_name(), "__Host-siperlu_login_csrf");
    }
}
