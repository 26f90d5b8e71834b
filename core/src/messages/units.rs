//! Numbers, distances and durations inside catalog texts, written as each locale writes them.
//!
//! Bahasa Indonesia writes a decimal comma ("1,5 km") and English a decimal point ("1.5 km").
//! Neither locale groups digits here, because a grouped "10.000" reads as ten thousand in
//! Indonesian but as ten in English, and plain digits read the same in both.

use super::{Locale, Message, format};

pub(super) const MESSAGES: &[Message] = &[
    Message {
        id: "units.seconds",
        id_text: "{value} detik",
        en_text: "{value} s",
    },
    Message {
        id: "units.minutes",
        id_text: "{value} menit",
        en_text: "{value} min",
    },
    Message {
        id: "units.hours",
        id_text: "{value} jam",
        en_text: "{value} h",
    },
];

/// Formats `value` with at most `max_fraction_digits` decimals and the locale's decimal
/// separator. Trailing zeros after the separator are dropped, so 8.0 becomes "8".
pub fn format_decimal(value: f64, max_fraction_digits: usize, locale: Locale) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let mut text = format!("{value:.max_fraction_digits$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if text == "-0" {
        text = "0".to_string();
    }
    match locale {
        Locale::Id => text.replace('.', ","),
        Locale::En => text,
    }
}

/// Formats a distance in metres: one decimal below 10 m, whole metres below 1 km, and
/// kilometres from 1 km on ("4,2 m", "850 m", "1,5 km").
pub fn format_distance_m(distance_m: f64, locale: Locale) -> String {
    let magnitude_m = distance_m.abs();
    if magnitude_m < 10.0 {
        format!("{} m", format_decimal(distance_m, 1, locale))
    } else if magnitude_m < 1000.0 {
        format!("{} m", format_decimal(distance_m, 0, locale))
    } else if magnitude_m < 100_000.0 {
        format!("{} km", format_decimal(distance_m / 1000.0, 1, locale))
    } else {
        format!("{} km", format_decimal(distance_m / 1000.0, 0, locale))
    }
}

/// Formats a duration in milliseconds: seconds below a minute, minutes below an hour, and
/// hours from an hour on. Below one second it keeps millisecond precision ("0,25 detik"), and
/// otherwise one decimal ("2,5 menit").
pub fn format_duration_ms(duration_ms: i64, locale: Locale) -> String {
    let magnitude_ms = duration_ms.unsigned_abs();
    let seconds = duration_ms as f64 / 1000.0;
    let (id, value) = if magnitude_ms < 1_000 {
        ("units.seconds", format_decimal(seconds, 3, locale))
    } else if magnitude_ms < 60_000 {
        ("units.seconds", format_decimal(seconds, 1, locale))
    } else if magnitude_ms < 3_600_000 {
        ("units.minutes", format_decimal(seconds / 60.0, 1, locale))
    } else {
        ("units.hours", format_decimal(seconds / 3600.0, 1, locale))
    };
    format(id, locale, &[("value", &value)])
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn decimal_separator_per_locale() {
        assert_eq!(format_decimal(1.5, 1, Locale::Id), "1,5");
        assert_eq!(format_decimal(1.5, 1, Locale::En), "1.5");
        assert_eq!(format_decimal(1234.567, 2, Locale::Id), "1234,57");
        assert_eq!(format_decimal(1234.567, 2, Locale::En), "1234.57");
    }

    #[test]
    fn decimal_drops_trailing_zeros() {
        assert_eq!(format_decimal(8.0, 1, Locale::Id), "8");
        assert_eq!(format_decimal(8.50, 2, Locale::Id), "8,5");
        assert_eq!(format_decimal(70.0, 0, Locale::En), "70");
        assert_eq!(format_decimal(100.0, 0, Locale::Id), "100");
        assert_eq!(format_decimal(-0.04, 1, Locale::Id), "0");
        assert_eq!(format_decimal(-2.26, 1, Locale::Id), "-2,3");
    }

    #[test]
    fn distance_units() {
        let cases = [
            (4.26, "4,3 m", "4.3 m"),
            (850.4, "850 m", "850 m"),
            (1_500.0, "1,5 km", "1.5 km"),
            (10_000.0, "10 km", "10 km"),
            (252_400.0, "252 km", "252 km"),
        ];
        for (distance_m, indonesian, english) in cases {
            assert_eq!(format_distance_m(distance_m, Locale::Id), indonesian);
            assert_eq!(format_distance_m(distance_m, Locale::En), english);
        }
    }

    #[test]
    fn duration_units() {
        let cases = [
            (0, "0 detik", "0 s"),
            (250, "0,25 detik", "0.25 s"),
            (1, "0,001 detik", "0.001 s"),
            (45_000, "45 detik", "45 s"),
            (59_940, "59,9 detik", "59.9 s"),
            (90_000, "1,5 menit", "1.5 min"),
            (100_000, "1,7 menit", "1.7 min"),
            (5_400_000, "1,5 jam", "1.5 h"),
        ];
        for (duration_ms, indonesian, english) in cases {
            assert_eq!(format_duration_ms(duration_ms, Locale::Id), indonesian);
            assert_eq!(format_duration_ms(duration_ms, Locale::En), english);
        }
    }
}
