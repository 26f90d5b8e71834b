//! The canonical byte encoding shared by every signed object of the protocol: attendance
//! records, plan revisions and the server's signed envelopes.
//!
//! An encoded object starts with a 4-byte magic and a u16 format version, then its fields in a
//! fixed order. Integers are fixed-width big-endian (signed ones in two's complement), booleans
//! one byte 0 or 1, enum codes one byte, UUIDs their 16 raw bytes, and strings and byte strings
//! a u32 big-endian length followed by the bytes (strings in UTF-8). Lists are a u32 count
//! followed by the items. There is no floating point and no optional padding, so each value has
//! exactly one encoding. The reader rejects anything else, naming the field, so that the bytes
//! a server stores are the only bytes that could have produced the decoded value.

use uuid::Uuid;

/// Error for a byte string that is not the canonical encoding of an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid encoding at field `{field}`: {problem}")]
pub struct DecodeError {
    /// Name of the field being read, as documented in docs/PROTOCOL.md.
    pub field: &'static str,
    /// Problem with the field.
    pub problem: DecodeProblem,
}

/// Problem with one field of an encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeProblem {
    /// The input ends inside the field.
    #[error("input ends early: {needed} more bytes needed, {available} available")]
    Truncated { needed: usize, available: usize },
    /// The magic prefix does not name this kind of object.
    #[error("magic is {found:?}, expected {expected:?}")]
    BadMagic { found: String, expected: String },
    /// The format version is not one this code reads.
    #[error("format version {found} is not supported; this build reads version {supported}")]
    UnsupportedVersion { found: u16, supported: u16 },
    /// A boolean byte other than 0 or 1.
    #[error("boolean byte is {0}, expected 0 or 1")]
    BadBool(u8),
    /// An enum code with no meaning in this format version.
    #[error("unknown code {0}")]
    UnknownCode(u8),
    /// A length or count above the limit for the field.
    #[error("length {length} is above the maximum {max}")]
    TooLong { length: usize, max: usize },
    /// A string whose bytes are not UTF-8.
    #[error("string is not valid UTF-8")]
    InvalidUtf8,
    /// Bytes left over after the last field.
    #[error("{0} bytes follow the last field")]
    TrailingBytes(usize),
    /// A value outside the range the protocol allows for the field.
    #[error("{0}")]
    OutOfRange(String),
}

impl DecodeError {
    pub(crate) fn new(field: &'static str, problem: DecodeProblem) -> DecodeError {
        DecodeError { field, problem }
    }

    pub(crate) fn out_of_range(field: &'static str, why: impl Into<String>) -> DecodeError {
        DecodeError::new(field, DecodeProblem::OutOfRange(why.into()))
    }
}

/// Appends fields to an encoding. The writer does not check length limits, so each object
/// validates its fields before writing them.
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn new(magic: &[u8; 4], version: u16) -> Writer {
        let mut writer = Writer {
            bytes: Vec::with_capacity(512),
        };
        writer.bytes.extend_from_slice(magic);
        writer.u16(version);
        writer
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(crate) fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn i16(&mut self, value: i16) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn i32(&mut self, value: i32) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn i64(&mut self, value: i64) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.bytes.push(u8::from(value));
    }

    pub(crate) fn uuid(&mut self, value: &Uuid) {
        self.bytes.extend_from_slice(value.as_bytes());
    }

    pub(crate) fn fixed(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
    }

    /// Writes a u32 length and the bytes. Callers validate the length first.
    pub(crate) fn bytes(&mut self, value: &[u8]) {
        self.u32(value.len() as u32);
        self.bytes.extend_from_slice(value);
    }

    pub(crate) fn string(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    pub(crate) fn strings(&mut self, values: &[String]) {
        self.u32(values.len() as u32);
        for value in values {
            self.string(value);
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads fields of an encoding in order, failing with the name of the field that is wrong.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// Checks the magic and the version, which must equal `version`.
    pub(crate) fn new(
        bytes: &'a [u8],
        magic: &[u8; 4],
        version: u16,
    ) -> Result<Reader<'a>, DecodeError> {
        let mut reader = Reader { bytes, position: 0 };

        let found = reader.take("magic", 4)?;
        if found != magic {
            return Err(DecodeError::new(
                "magic",
                DecodeProblem::BadMagic {
                    found: String::from_utf8_lossy(found).into_owned(),
                    expected: String::from_utf8_lossy(magic).into_owned(),
                },
            ));
        }

        let found_version = reader.u16("format_version")?;
        if found_version != version {
            return Err(DecodeError::new(
                "format_version",
                DecodeProblem::UnsupportedVersion {
                    found: found_version,
                    supported: version,
                },
            ));
        }
        Ok(reader)
    }

    fn take(&mut self, field: &'static str, count: usize) -> Result<&'a [u8], DecodeError> {
        let available = self.bytes.len() - self.position;
        if available < count {
            return Err(DecodeError::new(
                field,
                DecodeProblem::Truncated {
                    needed: count,
                    available,
                },
            ));
        }
        let slice = &self.bytes[self.position..self.position + count];
        self.position += count;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(field, N)?);
        Ok(array)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn i16(&mut self, field: &'static str) -> Result<i16, DecodeError> {
        Ok(i16::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn i32(&mut self, field: &'static str) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn i64(&mut self, field: &'static str) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn bool(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        match self.u8(field)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(DecodeError::new(field, DecodeProblem::BadBool(other))),
        }
    }

    pub(crate) fn uuid(&mut self, field: &'static str) -> Result<Uuid, DecodeError> {
        Ok(Uuid::from_bytes(self.array(field)?))
    }

    pub(crate) fn fixed<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        self.array(field)
    }

    /// Reads a u32 length (at most `max`) and that many bytes.
    pub(crate) fn bytes(
        &mut self,
        field: &'static str,
        max: usize,
    ) -> Result<&'a [u8], DecodeError> {
        let length = self.u32(field)? as usize;
        if length > max {
            return Err(DecodeError::new(
                field,
                DecodeProblem::TooLong { length, max },
            ));
        }
        self.take(field, length)
    }

    pub(crate) fn string(
        &mut self,
        field: &'static str,
        max: usize,
    ) -> Result<String, DecodeError> {
        let bytes = self.bytes(field, max)?;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| DecodeError::new(field, DecodeProblem::InvalidUtf8))?;
        Ok(text.to_string())
    }

    /// Reads a u32 count (at most `max_count`) of strings of at most `max_length` bytes each.
    pub(crate) fn strings(
        &mut self,
        field: &'static str,
        max_count: usize,
        max_length: usize,
    ) -> Result<Vec<String>, DecodeError> {
        let count = self.u32(field)? as usize;
        if count > max_count {
            return Err(DecodeError::new(
                field,
                DecodeProblem::TooLong {
                    length: count,
                    max: max_count,
                },
            ));
        }
        let mut values = Vec::with_capacity(count);
        for _ in 0..count {
            values.push(self.string(field, max_length)?);
        }
        Ok(values)
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        let left = self.bytes.len() - self.position;
        if left > 0 {
            return Err(DecodeError::new("end", DecodeProblem::TrailingBytes(left)));
        }
        Ok(())
    }
}

/// Fails with `TooLong` when `length` exceeds `max`; used by the validation before encoding.
pub(crate) fn check_length(
    field: &'static str,
    length: usize,
    max: usize,
) -> Result<(), DecodeError> {
    if length > max {
        return Err(DecodeError::new(
            field,
            DecodeProblem::TooLong { length, max },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn integers_are_big_endian() {
        let mut writer = Writer::new(b"TEST", 1);
        writer.u32(0x0102_0304);
        writer.i16(-2);
        let bytes = writer.finish();
        assert_eq!(
            bytes,
            [b'T', b'E', b'S', b'T', 0, 1, 1, 2, 3, 4, 0xff, 0xfe]
        );
    }

    #[test]
    fn reader_rejects_bad_bool() {
        let mut writer = Writer::new(b"TEST", 1);
        writer.u8(2);
        let bytes = writer.finish();
        let mut reader = Reader::new(&bytes, b"TEST", 1).expect("valid prefix");
        let error = reader.bool("mock").expect_err("2 is not a boolean");
        assert_eq!(error.field, "mock");
        assert_eq!(error.problem, DecodeProblem::BadBool(2));
    }

    #[test]
    fn reader_rejects_trailing_bytes() {
        let mut writer = Writer::new(b"TEST", 1);
        writer.u8(0);
        let bytes = writer.finish();
        let reader = Reader::new(&bytes, b"TEST", 1).expect("valid prefix");
        let error = reader.finish().expect_err("one byte is left");
        assert_eq!(error.problem, DecodeProblem::TrailingBytes(1));
    }

    #[test]
    fn reader_rejects_wrong_magic_and_version() {
        let bytes = Writer::new(b"TEST", 2).finish();
        let wrong_magic = Reader::new(&bytes, b"ELSE", 2)
            .err()
            .expect("magic differs");
        assert_eq!(wrong_magic.field, "magic");
        let wrong_version = Reader::new(&bytes, b"TEST", 1)
            .err()
            .expect("version differs");
        assert_eq!(wrong_version.field, "format_version");
    }

    #[test]
    fn reader_rejects_long_string() {
        let mut writer = Writer::new(b"TEST", 1);
        writer.string("abcdef");
        let bytes = writer.finish();
        let mut reader = Reader::new(&bytes, b"TEST", 1).expect("valid prefix");
        let error = reader.string("provider", 4).expect_err("6 bytes exceed 4");
        assert_eq!(error.problem, DecodeProblem::TooLong { length: 6, max: 4 });
    }
}
