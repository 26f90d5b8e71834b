//! The monthly recap per OPD, as CSV or XLSX: for each ASN of the OPD, the days present, the
//! number of check-ins, and how many were approved, rejected and flagged.
//!
//! CSV cells that start with `=`, `+`, `-` or `@` get a leading apostrophe, so a name typed by
//! an admin cannot become a formula when the file is opened in a spreadsheet.

use crate::db::DbError;
use crate::error::ApiError;
use crate::pages::AdminPage;
use crate::{AppState, admin};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, params};
use serde::Deserialize;

/// One ASN's line of the recap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecapRow {
    pub nip: String,
    pub name: String,
    pub days_present: i64,
    pub checkins: i64,
    pub approved: i64,
    pub rejected: i64,
    pub flagged: i64,
}

/// Builds the recap of `month` (`yyyy-mm`) for the ASN of OPD `opd_id`.
pub fn build_recap(
    connection: &Connection,
    opd_id: i64,
    month: &str,
) -> Result<Vec<RecapRow>, ApiError> {
    let valid_month = month.len() == 7
        && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
    if !valid_month {
        return Err(ApiError::invalid_value(
            "month",
            month,
            "api.expected_month",
        ));
    }
    let mut statement = connection
        .prepare(
            "SELECT a.nip, a.name,
                COUNT(DISTINCT CASE WHEN r.status <> 'rejected' THEN r.local_date END),
                COUNT(r.id),
                COALESCE(SUM(r.status = 'approved'), 0),
                COALESCE(SUM(r.status = 'rejected'), 0),
                COALESCE(SUM(r.flags <> ''), 0)
             FROM asn a
             LEFT JOIN records r ON r.nip = a.nip AND substr(r.local_date, 1, 7) = ?2
             WHERE a.opd_id = ?1
             GROUP BY a.nip, a.name ORDER BY a.name, a.nip",
        )
        .map_err(DbError::from)?;
    let rows = statement
        .query_map(params![opd_id, month], |row| {
            Ok(RecapRow {
                nip: row.get(0)?,
                name: row.get(1)?,
                days_present: row.get(2)?,
                checkins: row.get(3)?,
                approved: row.get(4)?,
                rejected: row.get(5)?,
                flagged: row.get(6)?,
            })
        })
        .map_err(DbError::from)?;
    Ok(rows.collect::<Result<_, _>>().map_err(DbError::from)?)
}

fn header_labels() -> [String; 7] {
    [
        "admin.recap_nip",
        "admin.recap_name",
        "admin.recap_days_present",
        "admin.recap_checkins",
        "admin.recap_approved",
        "admin.recap_rejected",
        "admin.recap_flagged",
    ]
    .map(|id| siperlu_core::messages::format(id, siperlu_core::messages::Locale::Id, &[]))
}

fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Renders the recap as CSV (comma-separated, CRLF line ends, UTF-8).
pub fn recap_csv(rows: &[RecapRow]) -> String {
    let mut out = header_labels().map(|label| csv_cell(&label)).join(",");
    out.push_str("\r\n");
    for row in rows {
        let cells = [
            row.nip.clone(),
            row.name.clone(),
            row.days_present.to_string(),
            row.checkins.to_string(),
            row.approved.to_string(),
            row.rejected.to_string(),
            row.flagged.to_string(),
        ];
        out.push_str(&cells.map(|cell| csv_cell(&cell)).join(","));
        out.push_str("\r\n");
    }
    out
}

/// Renders the recap as an XLSX workbook with one sheet.
pub fn recap_xlsx(rows: &[RecapRow], month: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("Rekap {month}"))?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (column, label) in header_labels().iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, label, &bold)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
        // The NIP is text: as a number it would lose digits to floating point.
        sheet.write_string(line, 0, &row.nip)?;
        sheet.write_string(line, 1, &row.name)?;
        let numbers = [
            row.days_present,
            row.checkins,
            row.approved,
            row.rejected,
            row.flagged,
        ];
        for (offset, value) in numbers.iter().enumerate() {
            sheet.write_number(line, 2 + offset as u16, *value as f64)?;
        }
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 30)?;
    workbook.save_to_buffer()
}

#[derive(Deserialize)]
pub struct RecapQuery {
    pub month: String,
    pub opd_id: i64,
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /admin/export/recap?month=yyyy-mm&opd_id=N&format=csv|xlsx`.
/// Errors come back as an admin error page in Bahasa Indonesia, because an admin's browser
/// follows this link from the export form.
pub async fn get_recap(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    query: Result<Query<RecapQuery>, QueryRejection>,
) -> Response {
    let csrf_token = session.csrf_token.clone();
    let Ok(Query(query)) = query else {
        let message = siperlu_core::messages::format(
            "admin.recap_query_invalid",
            siperlu_core::messages::Locale::Id,
            &[],
        );
        return crate::pages::html_error(StatusCode::BAD_REQUEST, &message, Some(&csrf_token));
    };
    match export_recap(state, session, query).await {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!(error_id = error.id(), "recap export rejected");
            crate::pages::html_error(
                error.status(),
                error.message_indonesian(),
                Some(&csrf_token),
            )
        }
    }
}

async fn export_recap(
    state: AppState,
    session: crate::auth::AdminSession,
    query: RecapQuery,
) -> Result<Response, ApiError> {
    let month = query.month.clone();
    let opd_id = query.opd_id;
    let rows = state
        .db
        .call(move |connection| {
            let exists = admin::list_opd(connection)
                .map_err(ApiError::from)?
                .iter()
                .any(|unit| unit.id == opd_id);
            if !exists {
                return Err(ApiError::not_found_text(&crate::error::text(
                    "admin_form.object_opd",
                    &[("id", &opd_id.to_string())],
                )));
            }
            build_recap(connection, opd_id, &month)
        })
        .await?;
    tracing::info!(admin_id = session.admin_id, opd_id, month = %query.month, rows = rows.len(), "recap exported");

    let base_name = format!("rekap-{}-opd{}", query.month, query.opd_id);
    match query.format.as_deref().unwrap_or("csv") {
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{base_name}.csv\""),
                ),
            ],
            recap_csv(&rows),
        )
            .into_response()),
        "xlsx" => {
            let bytes = recap_xlsx(&rows, &query.month)
                .map_err(|error| ApiError::internal("xlsx export", &error))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{base_name}.xlsx\""),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        other => Err(ApiError::invalid_value(
            "format",
            other,
            "api.expected_export_format",
        )),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn csv_guards_formulas_and_quotes() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("Siti, S.Kom"), "\"Siti, S.Kom\"");
        assert_eq!(csv_cell("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let rows = vec![RecapRow {
            nip: "198503122010011002".into(),
            name: "Siti".into(),
            days_present: 20,
            checkins: 40,
            approved: 38,
            rejected: 1,
            flagged: 2,
        }];
        let bytes = recap_xlsx(&rows, "2026-12").expect("workbook");
        assert_eq!(&bytes[..2], b"PK");
    }
}
