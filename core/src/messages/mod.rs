//! The catalog of every text an ASN or an admin reads, in Bahasa Indonesia first and English
//! second.
//!
//! Code refers to a text by a stable id such as `face.no_face`; the id is what travels in
//! records, API responses and logs, and each screen looks the text up in the reader's locale.
//! Texts may hold `{name}` placeholders that [`format`] fills in.

mod admin;
mod admin_cli;
mod admin_form;
mod api;
mod app;
mod common;
mod device;
mod face;
mod geofence;
mod ingest;
mod location;
mod nip;
mod plan;
mod record;
mod sync;
mod time;
pub mod units;

use serde::{Deserialize, Serialize};

/// A language the catalog is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Bahasa Indonesia, the first language of every screen.
    #[default]
    Id,
    /// English, the second locale.
    En,
}

impl Locale {
    /// Parses a BCP 47 language tag such as `id`, `id-ID`, `in` (old Android code) or `en-US`.
    /// Any other language falls back to Bahasa Indonesia.
    pub fn from_tag(tag: &str) -> Locale {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match language.as_str() {
            "en" => Locale::En,
            _ => Locale::Id,
        }
    }
}

/// One catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    /// Stable id, `area.reason`, used in records, APIs and logs.
    pub id: &'static str,
    /// Text in Bahasa Indonesia.
    pub id_text: &'static str,
    /// Text in English.
    pub en_text: &'static str,
}

impl Message {
    /// Returns the text in `locale`.
    pub fn text(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::Id => self.id_text,
            Locale::En => self.en_text,
        }
    }
}

/// Every section of the catalog; each area of the system keeps its texts in its own file.
const SECTIONS: &[&[Message]] = &[
    common::MESSAGES,
    face::MESSAGES,
    geofence::MESSAGES,
    location::MESSAGES,
    time::MESSAGES,
    record::MESSAGES,
    plan::MESSAGES,
    nip::MESSAGES,
    api::MESSAGES,
    admin::MESSAGES,
    ingest::MESSAGES,
    device::MESSAGES,
    sync::MESSAGES,
    admin_cli::MESSAGES,
    app::MESSAGES,
    units::MESSAGES,
    admin_form::MESSAGES,
];

/// Iterates over every message in the catalog.
pub fn all() -> impl Iterator<Item = &'static Message> {
    SECTIONS.iter().flat_map(|section| section.iter())
}

/// Looks up a message by id.
pub fn lookup(id: &str) -> Option<&'static Message> {
    all().find(|message| message.id == id)
}

/// Returns the text of `id` in `locale`, or `None` for an unknown id.
pub fn text(id: &str, locale: Locale) -> Option<&'static str> {
    lookup(id).map(|message| message.text(locale))
}

/// Returns the text of `id` in `locale` with each `{name}` placeholder replaced by its value.
///
/// An unknown id yields the id itself, so a screen shows something searchable rather than
/// nothing; a placeholder without a value is left as written.
pub fn format(id: &str, locale: Locale, values: &[(&str, &str)]) -> String {
    let Some(template) = text(id, locale) else {
        return id.to_string();
    };
    let mut output = template.to_string();
    for (name, value) in values {
        output = output.replace(&format!("{{{name}}}"), value);
    }
    output
}

#[cfg(test)]
mod test {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique() {
        let mut seen = HashSet::new();
        for message in all() {
            assert!(
                seen.insert(message.id),
                "duplicate message id {}",
                message.id
            );
        }
    }

    #[test]
    fn ids_are_area_dot_reason() {
        for message in all() {
            let parts: Vec<&str> = message.id.split('.').collect();
            assert_eq!(parts.len(), 2, "id {} should be area.reason", message.id);
            assert!(
                message
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'),
                "id {} should use lowercase ascii, digits and underscores",
                message.id
            );
        }
    }

    #[test]
    fn every_message_has_both_locales() {
        for message in all() {
            assert!(
                !message.id_text.trim().is_empty(),
                "{} has no Indonesian text",
                message.id
            );
            assert!(
                !message.en_text.trim().is_empty(),
                "{} has no English text",
                message.id
            );
            assert_ne!(
                message.id_text, message.en_text,
                "{} is not translated",
                message.id
            );
        }
    }

    #[test]
    fn placeholders_match_across_locales() {
        for message in all() {
            assert_eq!(
                placeholders(message.id_text),
                placeholders(message.en_text),
                "{} has different placeholders in its two texts",
                message.id
            );
        }
    }

    #[test]
    fn format_fills_placeholders() {
        let text = format(
            "common.invalid_value",
            Locale::Id,
            &[("name", "lintang"), ("value", "91")],
        );
        assert_eq!(text, "Nilai lintang tidak valid: 91");
    }

    #[test]
    fn unknown_id_yields_id() {
        assert_eq!(format("nothing.here", Locale::En, &[]), "nothing.here");
        assert_eq!(text("nothing.here", Locale::Id), None);
    }

    #[test]
    fn locale_from_tag() {
        assert_eq!(Locale::from_tag("id-ID"), Locale::Id);
        assert_eq!(Locale::from_tag("in_ID"), Locale::Id);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("jv"), Locale::Id);
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        found.sort();
        found
    }
}
