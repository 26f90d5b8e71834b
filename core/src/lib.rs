//! siperlu-core: everything an ASN's phone decides on its own, offline.
//!
//! The phone matches a selfie against the enrolled face template (`face`), judges the GPS fix
//! against the office geofence (`geofence`, `location`), estimates trusted time (`time`), and
//! writes a signed, hash-chained attendance record (`record`) into the offline store (`store`)
//! until it can be synced. `device` joins these into the API the app and the CLI call
//! (enrollment, check-in, history, plans, configuration). The server links this crate without
//! the heavy features (`face`, `store`, `device`) so that the phone and the server run the very
//! same geofence and verification code.

pub mod assets;
#[cfg(feature = "device")]
pub mod device;
#[cfg(feature = "face")]
pub mod face;
pub mod geofence;
pub mod location;
pub mod messages;
pub mod nip;
pub mod plan;
pub mod policy;
pub mod record;
pub mod request_auth;
pub mod signed;
#[cfg(feature = "store")]
pub mod store;
#[cfg(feature = "sync")]
pub mod sync;
pub mod time;
pub mod vault;
pub mod wire;
