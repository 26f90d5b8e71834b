//! NIP (Nomor Induk Pegawai), the 18-digit identity number of an ASN.
//!
//! The digits are structured: 1-8 the birth date (yyyymmdd), 9-14 the year and month of
//! appointment (yyyymm), 15 the gender (1 male, 2 female) and 16-18 a serial number. Both the
//! phone (at enrollment) and the server (when an admin registers an ASN) validate a NIP with
//! [`parse_nip`], so a mistyped number is caught where it is entered. A NIP is personal data:
//! logs carry [`Nip::log_id`] or [`Nip::masked`], never the digits.

use chrono::{Datelike, NaiveDate};
use ring::digest;
use std::fmt;

/// Number of digits in a NIP.
pub const NIP_LENGTH: usize = 18;

/// Earliest birth year accepted as plausible for a serving ASN.
pub const MIN_BIRTH_YEAR: i32 = 1940;

/// Minimum age at appointment, in years.
pub const MIN_APPOINTMENT_AGE_YEARS: i32 = 18;

/// Reasons a NIP is rejected. Each variant names the value and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("NIP {value:?} has {length} characters; a NIP has exactly 18 digits")]
    WrongLength { value: String, length: usize },
    #[error("NIP {value:?} contains a character that is not a digit; a NIP has only digits 0-9")]
    NotDigits { value: String },
    #[error("NIP {value:?}: digits 1-8 ({digits}) are not a valid birth date yyyymmdd")]
    InvalidBirthDate { value: String, digits: String },
    #[error(
        "NIP {value:?}: birth date {birth_date} is implausible; expected a birth year from 1940 and an age of at least 18 on {today}"
    )]
    ImplausibleBirthDate {
        value: String,
        birth_date: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "NIP {value:?}: digits 9-14 ({digits}) are not a valid appointment year and month yyyymm"
    )]
    InvalidAppointment { value: String, digits: String },
    #[error(
        "NIP {value:?}: appointment {year:04}-{month:02} is before the 18th birthday ({birth_date}) or after {today}"
    )]
    ImplausibleAppointment {
        value: String,
        year: i32,
        month: u32,
        birth_date: NaiveDate,
        today: NaiveDate,
    },
    #[error("NIP {value:?}: digit 15 is {digit}; the gender digit is 1 (male) or 2 (female)")]
    InvalidGender { value: String, digit: char },
    #[error("NIP {value:?}: the serial number (digits 16-18) is 000; serials start at 001")]
    ZeroSerial { value: String },
}

impl NipError {
    /// Returns the message catalog id that explains this error to an ASN or an admin.
    pub fn message_id(&self) -> &'static str {
        match self {
            NipError::WrongLength { .. } => "nip.wrong_length",
            NipError::NotDigits { .. } => "nip.not_digits",
            NipError::InvalidBirthDate { .. } | NipError::ImplausibleBirthDate { .. } => {
                "nip.birth_date"
            }
            NipError::InvalidAppointment { .. } | NipError::ImplausibleAppointment { .. } => {
                "nip.appointment"
            }
            NipError::InvalidGender { .. } => "nip.gender",
            NipError::ZeroSerial { .. } => "nip.serial",
        }
    }
}

/// Gender as encoded in digit 15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// A validated NIP with its decoded fields.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nip {
    digits: String,
}

/// The structured fields a NIP encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NipFields {
    pub birth_date: NaiveDate,
    pub appointment_year: i32,
    pub appointment_month: u32,
    pub gender: Gender,
    pub serial: u16,
}

/// Validates `value` as a NIP that is plausible on the date `today`.
///
/// Surrounding whitespace is ignored; inner spaces are not, because a NIP is written without
/// separators on every official form.
pub fn parse_nip(value: &str, today: NaiveDate) -> Result<Nip, NipError> {
    let trimmed = value.trim();
    let owned = || trimmed.to_string();

    let length = trimmed.chars().count();
    if length != NIP_LENGTH {
        return Err(NipError::WrongLength {
            value: owned(),
            length,
        });
    }
    if !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NipError::NotDigits { value: owned() });
    }

    let number = |range: std::ops::Range<usize>| -> u32 {
        trimmed[range]
            .bytes()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    };

    let birth_date = NaiveDate::from_ymd_opt(number(0..4) as i32, number(4..6), number(6..8))
        .ok_or_else(|| NipError::InvalidBirthDate {
            value: owned(),
            digits: trimmed[0..8].to_string(),
        })?;
    let eighteenth_birthday = add_years(birth_date, MIN_APPOINTMENT_AGE_YEARS);
    if birth_date.year() < MIN_BIRTH_YEAR || eighteenth_birthday > today {
        return Err(NipError::ImplausibleBirthDate {
            value: owned(),
            birth_date,
            today,
        });
    }

    let year = number(8..12) as i32;
    let month = number(12..14);
    if !(1..=12).contains(&month) || year < MIN_BIRTH_YEAR {
        return Err(NipError::InvalidAppointment {
            value: owned(),
            digits: trimmed[8..14].to_string(),
        });
    }
    // Appointment is recorded by month, so it counts as plausible from the month of the 18th
    // birthday up to the current month.
    let appointment = (year, month);
    let earliest = (eighteenth_birthday.year(), eighteenth_birthday.month());
    let latest = (today.year(), today.month());
    if appointment < earliest || appointment > latest {
        return Err(NipError::ImplausibleAppointment {
            value: owned(),
            year,
            month,
            birth_date,
            today,
        });
    }

    let gender_digit = trimmed.as_bytes()[14] as char;
    if gender_digit != '1' && gender_digit != '2' {
        return Err(NipError::InvalidGender {
            value: owned(),
            digit: gender_digit,
        });
    }
    if number(15..18) == 0 {
        return Err(NipError::ZeroSerial { value: owned() });
    }

    Ok(Nip {
        digits: trimmed.to_string(),
    })
}

fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    // 29 February plus N years lands on 28 February in a common year.
    NaiveDate::from_ymd_opt(date.year() + years, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() + years, date.month(), 28))
        .unwrap_or(date)
}

impl Nip {
    /// Returns the 18 digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Decodes the structured fields; they were checked by [`parse_nip`].
    pub fn fields(&self) -> NipFields {
        let number = |range: std::ops::Range<usize>| -> u32 {
            self.digits[range]
                .bytes()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        NipFields {
            birth_date: NaiveDate::from_ymd_opt(number(0..4) as i32, number(4..6), number(6..8))
                .unwrap_or_default(),
            appointment_year: number(8..12) as i32,
            appointment_month: number(12..14),
            gender: if number(14..15) == 1 {
                Gender::Male
            } else {
                Gender::Female
            },
            serial: number(15..18) as u16,
        }
    }

    /// The NIP with all but its first two and last two digits hidden, for admin screens that
    /// must not show the birth date, such as lists shown to other staff.
    pub fn masked(&self) -> String {
        mask_nip(&self.digits)
    }

    /// Returns a stable pseudonym for logs: the first 12 hex digits of SHA-256 over the NIP.
    pub fn log_id(&self) -> String {
        nip_log_id(&self.digits)
    }
}

/// Masks any NIP-like string for display: the first two and last two characters stay.
pub fn mask_nip(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let mut masked = String::with_capacity(chars.len());
    for (index, c) in chars.iter().enumerate() {
        if index < 2 || index >= chars.len() - 2 {
            masked.push(*c);
        } else {
            masked.push('*');
        }
    }
    masked
}

/// Returns a stable pseudonym for logs of any NIP-like string: 12 hex digits of its SHA-256.
///
/// NOTE: a NIP has little entropy (a birth date, a month and a serial), so this pseudonym keeps
/// the digits out of casual view but does not resist a determined brute force.
pub fn nip_log_id(value: &str) -> String {
    let hash = digest::digest(&digest::SHA256, value.as_bytes());
    hex::encode(&hash.as_ref()[..6])
}

impl fmt::Debug for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nip({})", self.masked())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).expect("valid date")
    }

    #[test]
    fn valid_nip_decodes_fields() {
        let nip = parse_nip("198503122010011002", today()).expect("valid NIP");
        let fields = nip.fields();
        assert_eq!(
            fields.birth_date,
            NaiveDate::from_ymd_opt(1985, 3, 12).expect("date")
        );
        assert_eq!(fields.appointment_year, 2010);
        assert_eq!(fields.appointment_month, 1);
        assert_eq!(fields.gender, Gender::Male);
        assert_eq!(fields.serial, 2);
    }

    #[test]
    fn surrounding_whitespace_ignored() {
        let nip = parse_nip(" 198503122010012001\n", today()).expect("valid NIP");
        assert_eq!(nip.as_str(), "198503122010012001");
        assert_eq!(nip.fields().gender, Gender::Female);
    }

    #[test]
    fn invalid_nips_name_the_rule() {
        let cases: &[(&str, &str)] = &[
            ("19850312201001100", "nip.wrong_length"),
            ("1985031220100110021", "nip.wrong_length"),
            ("19850312201001100a", "nip.not_digits"),
            ("1985 3122010011002", "nip.not_digits"),
            ("198502302010011002", "nip.birth_date"),
            ("193001012010011002", "nip.birth_date"),
            ("201501012030011002", "nip.birth_date"),
            ("198503122010131002", "nip.appointment"),
            ("198503122000011002", "nip.appointment"),
            ("198503122027011002", "nip.appointment"),
            ("198503122010013002", "nip.gender"),
            ("198503122010011000", "nip.serial"),
        ];
        for (value, expected_id) in cases {
            let error = parse_nip(value, today()).expect_err(value);
            assert_eq!(error.message_id(), *expected_id, "{value}: {error}");
            assert!(
                error.to_string().contains(value.trim()),
                "error should name the value: {error}"
            );
        }
    }

    #[test]
    fn appointment_in_month_of_18th_birthday_accepted() {
        parse_nip("198503122003031001", today()).expect("appointed in the month of turning 18");
        let error = parse_nip("198503122003021001", today()).expect_err("appointed at 17");
        assert!(matches!(error, NipError::ImplausibleAppointment { .. }));
    }

    #[test]
    fn masked_hides_birth_date() {
        let nip = parse_nip("198503122010011002", today()).expect("valid NIP");
        assert_eq!(nip.masked(), "19**************02");
        assert!(!format!("{nip:?}").contains("19850312"));
    }

    #[test]
    fn log_id_is_stable_and_short() {
        let nip = parse_nip("198503122010011002", today()).expect("valid NIP");
        assert_eq!(nip.log_id().len(), 12);
        assert_eq!(nip.log_id(), nip_log_id("198503122010011002"));
        assert_ne!(nip.log_id(), nip_log_id("198503122010011003"));
    }
}
