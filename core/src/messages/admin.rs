//! Texts of the server's admin web pages: login, check-in review, audit log and exports.

use super::Message;

pub(super) const MESSAGES: &[Message] = &[];
