//! A signed envelope: payload bytes, the id of the signing key and an Ed25519 signature.
//!
//! The server signs the configuration it hands to phones (offices, fences, thresholds) with
//! this envelope, and the phone checks it against a server public key pinned at enrollment
//! before it uses a single byte of the payload. The payload format is the signer's business;
//! the envelope only guarantees who produced it.

use ring::signature::{ED25519, Ed25519KeyPair, UnparsedPublicKey};

use crate::record::{PUBLIC_KEY_LEN, SIGNATURE_LEN};
use crate::wire::{DecodeError, Reader, Writer, check_length};

/// Magic prefix of an encoded envelope.
pub const ENVELOPE_MAGIC: [u8; 4] = *b"SPSE";
/// Format version this code writes and reads.
pub const ENVELOPE_FORMAT_VERSION: u16 = 1;
/// Maximum length of a key id in bytes.
pub const MAX_KEY_ID_LEN: usize = 64;
/// Maximum payload length: 16 MiB, far above any office configuration.
pub const MAX_PAYLOAD_LEN: usize = 16 << 20;

/// A public key a verifier trusts, with the id signers put in their envelopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedKey {
    /// Key id, for example `server-2026-12`.
    pub key_id: String,
    /// Ed25519 public key, 32 bytes.
    pub public_key: Vec<u8>,
}

/// Errors of signing and opening envelopes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedError {
    /// The bytes are not a canonical envelope.
    #[error("malformed signed envelope: {0}")]
    Malformed(#[from] DecodeError),
    /// The envelope names a key the verifier does not pin.
    #[error(
        "envelope is signed by key {found:?}, but the pinned key is {pinned:?}; fetch the configuration again or re-enroll the device"
    )]
    UnknownKey { found: String, pinned: String },
    /// The signature does not verify with the pinned key.
    #[error(
        "envelope signature does not verify with pinned key {key_id:?}; the payload was changed"
    )]
    BadSignature { key_id: String },
    /// A pinned public key of the wrong length.
    #[error("pinned public key is {0} bytes; an Ed25519 public key is 32 bytes")]
    BadPublicKeyLength(usize),
}

/// A payload with the signature of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEnvelope {
    /// Id of the signing key.
    pub key_id: String,
    /// The signed payload.
    pub payload: Vec<u8>,
    /// Ed25519 signature over the encoding up to and including the payload.
    pub signature: [u8; SIGNATURE_LEN],
}

impl SignedEnvelope {
    /// Signs `payload` with `key_pair` under `key_id`.
    pub fn sign(
        key_id: &str,
        payload: &[u8],
        key_pair: &Ed25519KeyPair,
    ) -> Result<SignedEnvelope, SignedError> {
        check_length("key_id", key_id.len(), MAX_KEY_ID_LEN)?;
        check_length("payload", payload.len(), MAX_PAYLOAD_LEN)?;
        let signed_part = signed_part(key_id, payload);
        let mut signature = [0u8; SIGNATURE_LEN];
        signature.copy_from_slice(key_pair.sign(&signed_part).as_ref());
        Ok(SignedEnvelope {
            key_id: key_id.to_string(),
            payload: payload.to_vec(),
            signature,
        })
    }

    /// Returns the canonical encoding: magic, version, key id, payload, signature.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = signed_part(&self.key_id, &self.payload);
        bytes.extend_from_slice(&self.signature);
        bytes
    }

    /// Decodes an envelope without checking the signature.
    pub fn decode(bytes: &[u8]) -> Result<SignedEnvelope, SignedError> {
        let mut reader = Reader::new(bytes, &ENVELOPE_MAGIC, ENVELOPE_FORMAT_VERSION)?;
        let key_id = reader.string("key_id", MAX_KEY_ID_LEN)?;
        let payload = reader.bytes("payload", MAX_PAYLOAD_LEN)?.to_vec();
        let signature = reader.fixed("signature")?;
        reader.finish()?;
        Ok(SignedEnvelope {
            key_id,
            payload,
            signature,
        })
    }

    /// Checks the key id and the signature against `pinned`, and returns the payload.
    pub fn verify(&self, pinned: &PinnedKey) -> Result<&[u8], SignedError> {
        if pinned.public_key.len() != PUBLIC_KEY_LEN {
            return Err(SignedError::BadPublicKeyLength(pinned.public_key.len()));
        }
        if self.key_id != pinned.key_id {
            return Err(SignedError::UnknownKey {
                found: self.key_id.clone(),
                pinned: pinned.key_id.clone(),
            });
        }
        UnparsedPublicKey::new(&ED25519, &pinned.public_key)
            .verify(&signed_part(&self.key_id, &self.payload), &self.signature)
            .map_err(|_| SignedError::BadSignature {
                key_id: self.key_id.clone(),
            })?;
        Ok(&self.payload)
    }

    /// Decodes `bytes` and verifies them against `pinned`, returning the payload.
    pub fn open(bytes: &[u8], pinned: &PinnedKey) -> Result<Vec<u8>, SignedError> {
        let envelope = SignedEnvelope::decode(bytes)?;
        Ok(envelope.verify(pinned)?.to_vec())
    }
}

/// Returns the key id a server puts in its envelopes: `server-` and the first 16 hex digits of
/// the SHA-256 of its 32-byte public key. Deriving the id from the key lets a phone pin both from
/// the first signed document it receives, and makes a new server key a new key id.
pub fn key_id_for(public_key: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, public_key);
    format!("server-{}", &hex::encode(digest.as_ref())[..16])
}

fn signed_part(key_id: &str, payload: &[u8]) -> Vec<u8> {
    let mut writer = Writer::new(&ENVELOPE_MAGIC, ENVELOPE_FORMAT_VERSION);
    writer.string(key_id);
    writer.bytes(payload);
    writer.finish()
}

#[cfg(test)]
mod test {
    use super::*;
    use ring::signature::KeyPair;

    fn server_key() -> (Ed25519KeyPair, PinnedKey) {
        let key_pair = Ed25519KeyPair::from_seed_unchecked(&[3; 32]).expect("valid seed");
        let pinned = PinnedKey {
            key_id: "server-1".to_string(),
            public_key: key_pair.public_key().as_ref().to_vec(),
        };
        (key_pair, pinned)
    }

    #[test]
    fn key_id_follows_the_key() {
        let (_, pinned) = server_key();
        let id = key_id_for(&pinned.public_key);
        assert_eq!(id.len(), "server-".len() + 16);
        assert_eq!(id, key_id_for(&pinned.public_key));
        assert_ne!(id, key_id_for(&[4; 32]));
    }

    #[test]
    fn envelope_round_trip() {
        let (key_pair, pinned) = server_key();
        let envelope =
            SignedEnvelope::sign("server-1", b"{\"offices\":[]}", &key_pair).expect("valid");
        let payload = SignedEnvelope::open(&envelope.encode(), &pinned).expect("verifies");
        assert_eq!(payload, b"{\"offices\":[]}");
    }

    #[test]
    fn changed_payload_fails() {
        let (key_pair, pinned) = server_key();
        let mut bytes = SignedEnvelope::sign("server-1", b"radius_m=100", &key_pair)
            .expect("valid")
            .encode();
        let position = bytes
            .windows(3)
            .position(|window| window == b"100")
            .expect("payload present");
        bytes[position] = b'9';
        let error = SignedEnvelope::open(&bytes, &pinned).expect_err("payload changed");
        assert!(
            matches!(error, SignedError::BadSignature { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn other_key_id_fails() {
        let (key_pair, pinned) = server_key();
        let bytes = SignedEnvelope::sign("server-2", b"x", &key_pair)
            .expect("valid")
            .encode();
        let error = SignedEnvelope::open(&bytes, &pinned).expect_err("key id differs");
        assert!(matches!(error, SignedError::UnknownKey { .. }), "{error:?}");
    }

    #[test]
    fn truncated_envelope_is_malformed() {
        let (key_pair, pinned) = server_key();
        let bytes = SignedEnvelope::sign("server-1", b"x", &key_pair)
            .expect("valid")
            .encode();
        let error = SignedEnvelope::open(&bytes[..bytes.len() - 1], &pinned).expect_err("short");
        assert!(
            matches!(
                error,
                SignedError::Malformed(DecodeError {
                    field: "signature",
                    ..
                })
            ),
            "{error:?}"
        );
    }
}
