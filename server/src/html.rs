//! HTML building for the admin pages: escaping and the shared page layout.
//!
//! Pages are built as plain strings. Every value that did not come from this source file
//! passes through [`escape`], including catalog texts, because an office or ASN name typed by
//! an admin ends up inside them.

use siperlu_core::messages::{self, Locale};

/// Escapes text for use in HTML element content and in double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Returns the escaped Indonesian catalog text of `id`.
pub fn t(id: &str) -> String {
    escape(&messages::format(id, Locale::Id, &[]))
}

/// Returns the escaped Indonesian catalog text of `id` with placeholders filled.
pub fn tf(id: &str, values: &[(&str, &str)]) -> String {
    escape(&messages::format(id, Locale::Id, values))
}

const STYLE: &str = "body{font-family:sans-serif;margin:0;color:#222}\
header{background:#1f4e79;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center}\
header a{color:#fff}main{padding:1em}table{border-collapse:collapse}\
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}\
.flag{color:#a00;font-weight:bold}.notice{background:#ffe;border:1px solid #cc8;padding:.5em}\
.columns{display:flex;gap:2em;flex-wrap:wrap}form.inline{display:inline}";

/// Wraps `body` in the page layout. `csrf_token` is set when an admin is logged in, and adds
/// the navigation and the logout form.
pub fn page(title: &str, csrf_token: Option<&str>, body: &str) -> String {
    let navigation = match csrf_token {
        Some(token) => format!(
            "<a href=\"/admin/checkins\">{checkins}</a> <a href=\"/admin/asn\">{asn}</a> \
             <a href=\"/admin/export\">{export}</a> \
             <a href=\"/admin/audit\">{audit}</a>\
             <form class=\"inline\" method=\"post\" action=\"/admin/logout\">\
             <input type=\"hidden\" name=\"csrf_token\" value=\"{token}\">\
             <button type=\"submit\">{logout}</button></form>",
            checkins = t("admin.checkins_title"),
            asn = t("admin.asn_title"),
            export = t("admin.export_title"),
            audit = t("admin.audit_title"),
            token = escape(token),
            logout = t("admin.logout_button"),
        ),
        None => String::new(),
    };
    format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - {app}</title><style>{STYLE}</style></head>\
         <body><header><strong>{app}</strong>{navigation}</header><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title),
        app = t("admin.title"),
    )
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn page_escapes_title() {
        let html = page("<b>Kantor</b>", None, "");
        assert!(html.contains("&lt;b&gt;Kantor&lt;/b&gt;"));
        assert!(!html.contains("<b>Kantor</b>"));
    }
}
