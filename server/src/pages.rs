//! The admin web pages under `/admin`, in Bahasa Indonesia, rendered on the server and usable
//! without JavaScript. They cover login, the check-in list with filters, the detail page with
//! the SVG map and the ASN's work plan, approve/reject, the audit log, and the monthly recap
//! export.
//!
//! Every form carries a CSRF token: the session's token once logged in, and before login a
//! token in a short-lived cookie that the form must echo (double submit).

use crate::admin;
use crate::auth::{self, AdminSession};
use crate::checkins::{self, CheckinFilter, Decision};
use crate::html::{escape, page, t, tf};
use crate::{AppState, api, export, map, now_ms};
use axum::Form;
use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use siperlu_core::nip::mask_nip;

/// Returns the routes of the admin pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::to("/admin/checkins") }))
        .route("/admin/login", get(get_login).post(post_login))
        .route("/admin/logout", post(post_logout))
        .route("/admin/checkins", get(get_checkins))
        .route("/admin/checkins/{id}", get(get_checkin))
        .route("/admin/checkins/{id}/review", post(post_review))
        .route("/admin/audit", get(get_audit))
        .route("/admin/asn", get(get_asn))
        .route(
            "/admin/asn/{nip}/enrollment-code",
            post(post_enrollment_code),
        )
        .route("/admin/export", get(get_export))
        .route("/admin/export/recap", get(export::get_recap))
}

/// A logged-in admin on a page request; without a session the request is redirected to the
/// login page.
pub struct AdminPage(pub AdminSession);

impl FromRequestParts<AppState> for AdminPage {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match admin::load_session(state, parts).await {
            Ok(Some(session)) => Ok(AdminPage(session)),
            Ok(None) => Err(Redirect::to("/admin/login").into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// Shows `message` (unescaped text) as an error page.
pub(crate) fn html_error(status: StatusCode, message: &str, csrf: Option<&str>) -> Response {
    let body = format!("<p class=\"notice\">{}</p>", escape(message));
    let title = siperlu_core::messages::format(
        "admin.error_title",
        siperlu_core::messages::Locale::Id,
        &[],
    );
    (status, Html(page(&title, csrf, &body))).into_response()
}

/// Shows a rejected form body (missing or malformed fields) as a 400 page. axum's English
/// detail goes to the log only.
fn form_error(rejection: &FormRejection) -> Response {
    let detail = rejection.body_text();
    tracing::warn!(%detail, "admin form rejected");
    let message = siperlu_core::messages::format(
        "admin.form_invalid",
        siperlu_core::messages::Locale::Id,
        &[],
    );
    html_error(StatusCode::BAD_REQUEST, &message, None)
}

fn check_csrf(session: &AdminSession, presented: &str) -> Result<(), Box<Response>> {
    if auth::constant_time_eq(presented.as_bytes(), session.csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(Box::new(html_error(
            StatusCode::FORBIDDEN,
            &siperlu_core::messages::format(
                "admin.csrf_invalid",
                siperlu_core::messages::Locale::Id,
                &[],
            ),
            Some(&session.csrf_token),
        )))
    }
}

// ---- login ----

/// Builds the login form; `notice` is escaped notice text shown above it.
fn login_form(csrf: &str, notice: Option<&str>) -> String {
    let notice = notice
        .map(|text| format!("<p class=\"notice\" id=\"login-notice\">{text}</p>"))
        .unwrap_or_default();
    format!(
        "{notice}<form method=\"post\" action=\"/admin/login\">\
         <input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\">\
         <p><label>{user}<br><input name=\"username\" autocomplete=\"username\" required></label></p>\
         <p><label>{password}<br><input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>\
         <p><button type=\"submit\">{button}</button></p></form>",
        csrf = escape(csrf),
        user = t("admin.username"),
        password = t("admin.password"),
        button = t("admin.login_button"),
    )
}

async fn get_login(State(state): State<AppState>) -> Response {
    let Ok(csrf) = auth::random_token(24) else {
        return html_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "random generator failed",
            None,
        );
    };
    let policy = state.cookies;
    let cookie = policy.set_cookie(policy.login_csrf_name(), &csrf, 3600);
    (
        [(header::SET_COOKIE, cookie)],
        Html(page(
            &t("admin.login_title"),
            None,
            &login_form(&csrf, None),
        )),
    )
        .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
}

async fn post_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return form_error(&rejection),
    };
    let policy = state.cookies;
    let cookie_csrf = policy.login_csrf_token(&headers).unwrap_or_default();
    if cookie_csrf.is_empty()
        || !auth::constant_time_eq(cookie_csrf.as_bytes(), form.csrf_token.as_bytes())
    {
        return html_error(
            StatusCode::FORBIDDEN,
            &siperlu_core::messages::format(
                "admin.csrf_invalid",
                siperlu_core::messages::Locale::Id,
                &[],
            ),
            None,
        );
    }

    let result = state
        .db
        .call(move |connection| auth::login(connection, &form.username, &form.password, now_ms()))
        .await;
    match result {
        Ok(session) => {
            let cookie = policy.set_cookie(
                policy.session_name(),
                &session.token,
                auth::SESSION_TTL_MS / 1000,
            );
            let mut response = Redirect::to("/admin/checkins").into_response();
            if let Ok(value) = cookie.parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            if let Ok(value) = policy.set_cookie(policy.login_csrf_name(), "", 0).parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(error) => {
            let (status, notice, retry_after_s) = match error {
                auth::AuthError::WrongCredentials => {
                    (StatusCode::UNAUTHORIZED, t("admin.login_failed"), None)
                }
                auth::AuthError::Locked { until_ms } => {
                    let retry_after_s = ((until_ms - now_ms()).max(1000) as u64).div_ceil(1000);
                    let minutes = retry_after_s.div_ceil(60).to_string();
                    let notice = tf("admin.login_locked", &[("minutes", &minutes)]);
                    (StatusCode::TOO_MANY_REQUESTS, notice, Some(retry_after_s))
                }
                other => return crate::error::ApiError::from(other).into_response(),
            };
            let mut response = (
                status,
                Html(page(
                    &t("admin.login_title"),
                    None,
                    &login_form(&cookie_csrf, Some(&notice)),
                )),
            )
                .into_response();
            if let Some(seconds) = retry_after_s {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn post_logout(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    parts: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return form_error(&rejection),
    };
    if let Err(response) = check_csrf(&session, &form.csrf_token) {
        return *response;
    }
    let policy = state.cookies;
    if let Some(token) = policy.session_token(&parts) {
        let _ = state
            .db
            .call(move |connection| auth::logout(connection, &token))
            .await;
    }
    let mut response = Redirect::to("/admin/login").into_response();
    if let Ok(value) = policy.set_cookie(policy.session_name(), "", 0).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

// ---- check-ins ----

fn status_text(status: &str) -> String {
    match status {
        "approved" => t("admin.status_approved"),
        "rejected" => t("admin.status_rejected"),
        _ => t("admin.status_pending"),
    }
}

fn kind_text(kind: &str) -> String {
    match kind {
        "check_in" => t("admin.kind_check_in"),
        "check_out" => t("admin.kind_check_out"),
        other => escape(other),
    }
}

/// Returns the unescaped label of a geofence verdict name.
fn verdict_label(verdict: &str) -> String {
    let id = match verdict {
        "inside" => "admin.verdict_inside",
        "outside" => "admin.verdict_outside",
        "uncertain" => "admin.verdict_uncertain",
        "not_evaluated" => "admin.verdict_not_evaluated",
        other => return other.to_string(),
    };
    siperlu_core::messages::format(id, siperlu_core::messages::Locale::Id, &[])
}

/// Flag ids that ingest raises, offered in the flag filter.
const KNOWN_FLAGS: &[&str] = &[
    "location.mock_provider",
    "location.stale_fix",
    "location.future_fix",
    "location.poor_accuracy",
    "location.implausible_accuracy",
    "location.impossible_travel",
    "time.clock_skew",
    "time.elapsed_backwards",
    "time.no_anchor",
    "ingest.future_time",
    "ingest.unknown_anchor",
    "ingest.time_mismatch",
    "ingest.anchor_mismatch",
    "ingest.face_not_matched",
    "ingest.template_not_registered",
    "ingest.blink_missing",
    "ingest.invalid_location",
    "ingest.no_assignment",
    "ingest.verdict_mismatch",
    "record.sequence_gap",
    "record.chain_break",
    "geofence.outside",
    "geofence.uncertain",
];

/// Returns the escaped short admin label of a flag id, `admin.flag_<area>_<reason>` in the
/// catalog. A flag without a label shows its id, so it stays searchable.
fn flag_label(flag_id: &str) -> String {
    let label_id = format!("admin.flag_{}", flag_id.replace('.', "_"));
    match siperlu_core::messages::text(&label_id, siperlu_core::messages::Locale::Id) {
        Some(label) => escape(label),
        None => escape(flag_id),
    }
}

/// Renders comma-separated flag ids as labelled spans, each with its id as the title.
fn flags_html(flags: &str) -> String {
    flags
        .split(',')
        .filter(|flag_id| !flag_id.is_empty())
        .map(|flag_id| {
            format!(
                "<span class=\"flag\" title=\"{}\">{}</span>",
                escape(flag_id),
                flag_label(flag_id)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns both geofence verdicts, labelled, as escaped HTML.
fn verdicts_html(server_verdict: &str, device_verdict: &str) -> String {
    escape(&siperlu_core::messages::format(
        "admin.verdict_pair",
        siperlu_core::messages::Locale::Id,
        &[
            ("server", &verdict_label(server_verdict)),
            ("device", &verdict_label(device_verdict)),
        ],
    ))
}

fn format_time(ms: i64, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Asia::Jakarta);
    let label = match zone {
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        _ => "WIB",
    };
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|time| {
            format!(
                "{} {label}",
                time.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S")
            )
        })
        .unwrap_or_default()
}

fn option(value: &str, label: &str, selected: &Option<String>) -> String {
    let is_selected = selected.as_deref() == Some(value);
    format!(
        "<option value=\"{}\"{}>{}</option>",
        escape(value),
        if is_selected { " selected" } else { "" },
        label
    )
}

async fn get_checkins(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    query: Result<Query<CheckinFilter>, QueryRejection>,
) -> Response {
    // axum's rejection text is English, such as "duplicate field `date`", so it goes to the
    // log and the page shows the Indonesian form error.
    let filter = match query {
        Ok(Query(filter)) => filter,
        Err(rejection) => {
            let detail = rejection.body_text();
            tracing::warn!(%detail, "check-in filter rejected");
            return html_error(
                StatusCode::BAD_REQUEST,
                &t("admin.form_invalid"),
                Some(&session.csrf_token),
            );
        }
    };
    let query_filter = filter.clone();
    let result = state
        .db
        .call(move |connection| {
            let list = checkins::list_checkins(connection, &query_filter)?;
            let offices = admin::list_offices(connection).map_err(crate::error::ApiError::from)?;
            Ok::<_, crate::error::ApiError>((list, offices))
        })
        .await;
    let (list, offices) = match result {
        Ok(found) => found,
        Err(error) => {
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };

    let mut body = String::new();
    body.push_str("<form method=\"get\" action=\"/admin/checkins\">");
    body.push_str(&format!(
        "<label>{} <input type=\"date\" name=\"date\" value=\"{}\"></label> ",
        t("admin.filter_date"),
        escape(filter.date.as_deref().unwrap_or(""))
    ));
    body.push_str(&format!(
        "<label>{} <select name=\"office_id\">",
        t("admin.filter_office")
    ));
    body.push_str(&option("", &t("admin.filter_all"), &filter.office_id));
    for office in &offices {
        body.push_str(&option(
            &office.id.to_string(),
            &escape(&office.name),
            &filter.office_id,
        ));
    }
    body.push_str("</select></label> ");
    body.push_str(&format!(
        "<label>{} <select name=\"status\">",
        t("admin.filter_status")
    ));
    body.push_str(&option("", &t("admin.filter_all"), &filter.status));
    for status in ["pending", "approved", "rejected"] {
        body.push_str(&option(status, &status_text(status), &filter.status));
    }
    body.push_str("</select></label> ");
    body.push_str(&format!(
        "<label>{} <select name=\"flag\">",
        t("admin.filter_flag")
    ));
    body.push_str(&option("", &t("admin.filter_all"), &filter.flag));
    body.push_str(&option("any", &t("admin.filter_flag_any"), &filter.flag));
    for flag_id in KNOWN_FLAGS {
        body.push_str(&option(flag_id, &flag_label(flag_id), &filter.flag));
    }
    if let Some(flag_id) = filter.flag.as_deref()
        && !flag_id.is_empty()
        && flag_id != "any"
        && !KNOWN_FLAGS.contains(&flag_id)
    {
        body.push_str(&option(flag_id, &flag_label(flag_id), &filter.flag));
    }
    body.push_str("</select></label> ");
    body.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        t("admin.filter_button")
    ));

    if list.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin.no_checkins")));
    } else {
        body.push_str(&format!(
            "<table id=\"checkins\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
            t("admin.column_time"),
            t("admin.column_asn"),
            t("admin.filter_office"),
            t("admin.column_kind"),
            t("admin.column_verdict"),
            t("admin.filter_flag"),
            t("admin.filter_status"),
        ));
        for checkin in &list {
            let zone = offices
                .iter()
                .find(|office| Some(office.id) == checkin.office_id)
                .map(|office| office.time_zone.as_str())
                .unwrap_or("Asia/Jakarta");
            body.push_str(&format!(
                "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td><a href=\"/admin/checkins/{}\">{}</a></td></tr>",
                escape(&format_time(checkin.trusted_time_ms, zone)),
                escape(checkin.asn_name.as_deref().unwrap_or("-")),
                escape(&mask_nip(&checkin.nip)),
                escape(checkin.office_name.as_deref().unwrap_or("-")),
                kind_text(&checkin.kind),
                verdicts_html(&checkin.server_verdict, &checkin.device_verdict),
                flags_html(&checkin.flags),
                status_text(&checkin.status),
                escape(&checkin.id),
                t("admin.detail_link"),
            ));
        }
        body.push_str("</table>");
    }
    Html(page(
        &t("admin.checkins_title"),
        Some(&session.csrf_token),
        &body,
    ))
    .into_response()
}

async fn get_checkin(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    Path(id): Path<String>,
) -> Response {
    let result = state
        .db
        .call(move |connection| {
            let Some(checkin) = checkins::find_checkin(connection, &id)? else {
                return Ok(None);
            };
            let office = match checkin.office_id {
                Some(office_id) => Some(
                    admin::find_office(connection, office_id)
                        .map_err(crate::error::ApiError::from)?,
                ),
                None => None,
            };
            let plan = api::find_plan(connection, &checkin.nip, &checkin.local_date)?;
            Ok::<_, crate::error::ApiError>(Some((checkin, office, plan)))
        })
        .await;
    let (checkin, office, plan) = match result {
        Ok(Some(found)) => found,
        Ok(None) => {
            return html_error(
                StatusCode::NOT_FOUND,
                &siperlu_core::messages::format(
                    "admin.not_found",
                    siperlu_core::messages::Locale::Id,
                    &[],
                ),
                Some(&session.csrf_token),
            );
        }
        Err(error) => {
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };

    let zone = office
        .as_ref()
        .map(|o| o.time_zone.as_str())
        .unwrap_or("Asia/Jakarta");
    let mut body = String::new();
    body.push_str("<div class=\"columns\"><section><table>");
    let rows = [
        (
            t("admin.column_time"),
            escape(&format_time(checkin.trusted_time_ms, zone)),
        ),
        (
            t("admin.column_asn"),
            format!(
                "{} ({})",
                escape(checkin.asn_name.as_deref().unwrap_or("-")),
                escape(&mask_nip(&checkin.nip))
            ),
        ),
        (
            t("admin.filter_office"),
            escape(office.as_ref().map(|o| o.name.as_str()).unwrap_or("-")),
        ),
        (t("admin.column_kind"), kind_text(&checkin.kind)),
        (
            t("admin.column_verdict"),
            verdicts_html(&checkin.server_verdict, &checkin.device_verdict),
        ),
        (t("admin.filter_flag"), flags_html(&checkin.flags)),
        (
            t("admin.filter_status"),
            format!(
                "<span id=\"status\">{}</span>",
                status_text(&checkin.status)
            ),
        ),
    ];
    for (label, value) in rows {
        body.push_str(&format!("<tr><th>{label}</th><td>{value}</td></tr>"));
    }
    // The device's own claim, shown only when it differs from the time the server recomputed.
    if checkin.claimed_time_ms != checkin.trusted_time_ms {
        body.push_str(&format!(
            "<tr id=\"device-time\"><th>{}</th><td>{}</td></tr>",
            t("admin.column_device_time"),
            escape(&format_time(checkin.claimed_time_ms, zone))
        ));
    }
    body.push_str("</table>");

    let accuracy_m = checkin.accuracy_mm as f64 / 1000.0;
    match &office {
        Some(office) => {
            let fix = map::from_e7(checkin.latitude_e7, checkin.longitude_e7);
            let distance_m = checkin
                .distance_m
                .or_else(|| map::distance_from_centre_m(&office.fences, fix))
                .unwrap_or(0.0);
            body.push_str(&format!(
                "<h2>{}</h2>{}<p id=\"distance\">{}</p>",
                t("admin.map_title"),
                map::render_map(&office.fences, fix, accuracy_m, &office.name),
                tf(
                    "admin.distance",
                    &[
                        ("distance_m", &format!("{distance_m:.0}")),
                        ("accuracy_m", &format!("{accuracy_m:.0}"))
                    ]
                ),
            ));
        }
        None => body.push_str(&format!("<p>{}</p>", t("admin.no_office"))),
    }
    body.push_str("</section><section>");

    body.push_str(&format!("<h2>{}</h2>", t("admin.plan_title")));
    match plan {
        Some(plan) => {
            body.push_str("<ol id=\"plan\">");
            for item in &plan.items {
                body.push_str(&format!("<li><strong>{}</strong>", escape(&item.title)));
                if let Some([start, end]) = item.window_minutes {
                    body.push_str(&format!(
                        " ({:02}:{:02}-{:02}:{:02})",
                        start / 60,
                        start % 60,
                        end / 60,
                        end % 60
                    ));
                }
                let status_id = match item.status.as_str() {
                    "done" => "admin.plan_done",
                    "not_done" => "admin.plan_not_done",
                    _ => "admin.plan_planned",
                };
                body.push_str(&format!(" &mdash; {}", t(status_id)));
                if !item.expected_output.is_empty() {
                    body.push_str(&format!("<br>{}", escape(&item.expected_output)));
                }
                if !item.note.is_empty() {
                    body.push_str(&format!("<br><em>{}</em>", escape(&item.note)));
                }
                body.push_str("</li>");
            }
            body.push_str("</ol>");
        }
        None => body.push_str(&format!("<p>{}</p>", t("admin.no_plan"))),
    }

    body.push_str(&format!(
        "<h2>{title}</h2><form method=\"post\" action=\"/admin/checkins/{id}/review\">\
         <input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\">\
         <p><label>{reason}<br><textarea name=\"reason\" rows=\"3\" cols=\"40\"></textarea></label></p>\
         <p><button type=\"submit\" name=\"decision\" value=\"approve\">{approve}</button> \
         <button type=\"submit\" name=\"decision\" value=\"reject\">{reject}</button></p></form></section></div>",
        title = t("admin.review_title"),
        id = escape(&checkin.id),
        csrf = escape(&session.csrf_token),
        reason = t("admin.reason"),
        approve = t("admin.approve_button"),
        reject = t("admin.reject_button"),
    ));
    Html(page(
        &t("admin.detail_title"),
        Some(&session.csrf_token),
        &body,
    ))
    .into_response()
}

#[derive(Deserialize)]
struct ReviewForm {
    csrf_token: String,
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn post_review(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    Path(id): Path<String>,
    form: Result<Form<ReviewForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return form_error(&rejection),
    };
    if let Err(response) = check_csrf(&session, &form.csrf_token) {
        return *response;
    }
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        other => {
            let error = crate::error::ApiError::invalid_value(
                "decision",
                other,
                "admin_field.expected_decision",
            );
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };
    let actor = session.username.clone();
    let review_id = id.clone();
    let result = state
        .db
        .call(move |connection| {
            checkins::review_checkin(connection, &review_id, decision, &form.reason, &actor)
        })
        .await;
    match result {
        Ok(()) => Redirect::to(&format!("/admin/checkins/{id}")).into_response(),
        Err(error) => html_error(
            error.status(),
            error.message_indonesian(),
            Some(&session.csrf_token),
        ),
    }
}

// ---- audit and export ----

/// Returns the catalog label of an audit action id, with the id as its title.
fn action_html(action: &str) -> String {
    let label_id = format!("admin.action_{}", action.replace('.', "_"));
    let label = siperlu_core::messages::text(&label_id, siperlu_core::messages::Locale::Id)
        .unwrap_or(action);
    format!(
        "<span title=\"{}\">{}</span>",
        escape(action),
        escape(label)
    )
}

/// Renders the security events below the audit log. Each event shows its catalog label with
/// its id in a `title` attribute, like the flags on the check-in list.
fn security_events_html(events: &[checkins::SecurityEvent]) -> String {
    let mut html = format!(
        "<h2 id=\"security-events\">{}</h2>",
        t("admin.security_title")
    );
    if events.is_empty() {
        html.push_str(&format!("<p>{}</p>", t("admin.no_security_events")));
        return html;
    }
    html.push_str(&format!(
        "<table id=\"security\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("admin.column_time"),
        t("admin.column_event"),
        t("admin.recap_name"),
        t("admin.column_device"),
    ));
    for event in events {
        let label_id = format!("admin.security_{}", event.kind.replace('.', "_"));
        let label = siperlu_core::messages::text(&label_id, siperlu_core::messages::Locale::Id)
            .unwrap_or(&event.kind);
        html.push_str(&format!(
            "<tr><td>{}</td><td title=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&format_time(event.at_ms, "Asia/Jakarta")),
            escape(&event.kind),
            escape(label),
            escape(event.asn_name.as_deref().unwrap_or("-")),
            escape(event.device_id.as_deref().unwrap_or("-")),
        ));
    }
    html.push_str("</table>");
    html
}

async fn get_audit(State(state): State<AppState>, AdminPage(session): AdminPage) -> Response {
    let result = state
        .db
        .call(|connection| {
            let entries = checkins::list_audit(connection, 500)?;
            let events = checkins::list_security_events(connection, 200)?;
            Ok::<_, crate::error::ApiError>((entries, events))
        })
        .await;
    let (entries, events) = match result {
        Ok(found) => found,
        Err(error) => {
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };
    let mut body = format!(
        "<table id=\"audit\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("admin.column_time"),
        t("admin.column_actor"),
        t("admin.column_action"),
        t("admin.column_target"),
        t("admin.reason"),
    );
    for entry in entries {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&format_time(entry.at_ms, "Asia/Jakarta")),
            escape(&entry.actor),
            action_html(&entry.action),
            escape(&entry.target),
            escape(&entry.reason),
        ));
    }
    body.push_str("</table>");
    body.push_str(&security_events_html(&events));
    Html(page(
        &t("admin.audit_title"),
        Some(&session.csrf_token),
        &body,
    ))
    .into_response()
}

async fn get_export(State(state): State<AppState>, AdminPage(session): AdminPage) -> Response {
    let opd = match state
        .db
        .call(|connection| admin::list_opd(connection).map_err(crate::error::ApiError::from))
        .await
    {
        Ok(opd) => opd,
        Err(error) => {
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };
    let month = admin::today().format("%Y-%m").to_string();
    let mut body = format!(
        "<form method=\"get\" action=\"/admin/export/recap\">\
         <p><label>{month_label}<br><input name=\"month\" value=\"{month}\" pattern=\"[0-9]{{4}}-[0-9]{{2}}\" required></label></p>\
         <p><label>{opd_label}<br><select name=\"opd_id\">",
        month_label = t("admin.export_month"),
        opd_label = t("admin.export_opd"),
    );
    for unit in opd {
        body.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            unit.id,
            escape(&unit.name)
        ));
    }
    body.push_str(&format!(
        "</select></label></p><p><button type=\"submit\" name=\"format\" value=\"csv\">{}</button> \
         <button type=\"submit\" name=\"format\" value=\"xlsx\">{}</button></p></form>",
        t("admin.export_csv"),
        t("admin.export_xlsx"),
    ));
    Html(page(
        &t("admin.export_title"),
        Some(&session.csrf_token),
        &body,
    ))
    .into_response()
}

// ---- ASN and enrollment codes ----

/// Codes listed per ASN on the ASN page; older ones are only counted.
const CODES_SHOWN_PER_ASN: usize = 3;

/// Renders the enrollment codes issued for `nip`, newest first, with whether each was used,
/// is still valid at `now_ms`, or expired. Times are in WIB, as in the notice of a new code.
fn issued_codes_html(codes: &[admin::IssuedCode], nip: &str, now_ms: i64) -> String {
    let issued: Vec<&admin::IssuedCode> = codes.iter().filter(|code| code.nip == nip).collect();
    if issued.is_empty() {
        return t("admin.no_codes");
    }
    let time = |ms: i64| format_time(ms, "Asia/Jakarta");
    let mut lines: Vec<String> = issued
        .iter()
        .take(CODES_SHOWN_PER_ASN)
        .map(|code| {
            let created = time(code.created_at_ms);
            let expires = time(code.expires_at_ms);
            match code.used_at_ms {
                Some(used_ms) => tf(
                    "admin.code_used",
                    &[("created", &created), ("used", &time(used_ms))],
                ),
                None if code.expires_at_ms > now_ms => tf(
                    "admin.code_unused",
                    &[("created", &created), ("expires", &expires)],
                ),
                None => tf(
                    "admin.code_expired",
                    &[("created", &created), ("expires", &expires)],
                ),
            }
        })
        .collect();
    if issued.len() > CODES_SHOWN_PER_ASN {
        let older = (issued.len() - CODES_SHOWN_PER_ASN).to_string();
        lines.push(tf("admin.codes_more", &[("count", &older)]));
    }
    lines.join("<br>")
}

async fn get_asn(State(state): State<AppState>, AdminPage(session): AdminPage) -> Response {
    let result = state
        .db
        .call(|connection| {
            let asn = admin::list_asn(connection)?;
            let opd = admin::list_opd(connection)?;
            let codes = admin::list_enrollment_codes(connection)?;
            Ok::<_, admin::AdminError>((asn, opd, codes))
        })
        .await;
    let (asn, opd, codes) = match result {
        Ok(found) => found,
        Err(error) => {
            let error = crate::error::ApiError::from(error);
            return html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            );
        }
    };
    if asn.is_empty() {
        let body = format!("<p>{}</p>", t("admin.no_asn"));
        return Html(page(
            &t("admin.asn_title"),
            Some(&session.csrf_token),
            &body,
        ))
        .into_response();
    }

    let mut body = format!(
        "<table id=\"asn\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        t("admin.recap_nip"),
        t("admin.recap_name"),
        t("admin.export_opd"),
        t("admin.column_codes"),
    );
    let now = now_ms();
    for person in &asn {
        let unit = opd
            .iter()
            .find(|unit| unit.id == person.opd_id)
            .map(|unit| unit.name.as_str())
            .unwrap_or("-");
        body.push_str(&format!(
            "<tr><td>{nip}</td><td>{name}</td><td>{unit}</td><td>{issued}</td><td>\
             <form class=\"inline\" method=\"post\" action=\"/admin/asn/{nip}/enrollment-code\">\
             <input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\">\
             <button type=\"submit\">{button}</button></form></td></tr>",
            nip = escape(&person.nip),
            name = escape(&person.name),
            unit = escape(unit),
            issued = issued_codes_html(&codes, &person.nip, now),
            csrf = escape(&session.csrf_token),
            button = t("admin.create_code_button"),
        ));
    }
    body.push_str("</table>");
    Html(page(
        &t("admin.asn_title"),
        Some(&session.csrf_token),
        &body,
    ))
    .into_response()
}

async fn post_enrollment_code(
    State(state): State<AppState>,
    AdminPage(session): AdminPage,
    Path(nip): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return form_error(&rejection),
    };
    if let Err(response) = check_csrf(&session, &form.csrf_token) {
        return *response;
    }
    let admin_id = session.admin_id;
    let actor = session.username.clone();
    let result = state
        .db
        .call(move |connection| {
            let request = admin::NewEnrollmentCode {
                nip,
                valid_minutes: None,
            };
            let code = admin::create_enrollment_code(connection, admin_id, &request, now_ms())?;
            let name: String = connection.query_row(
                "SELECT name FROM asn WHERE nip = ?1",
                [&code.nip],
                |row| row.get(0),
            )?;
            admin::audit(
                connection,
                &actor,
                "enrollment_code.create",
                &format!("asn:{}", siperlu_core::nip::nip_log_id(&code.nip)),
                "",
            )?;
            Ok::<_, admin::AdminError>((code, name))
        })
        .await;
    match result {
        Ok((code, name)) => {
            let expires = format_time(code.expires_at_ms, "Asia/Jakarta");
            let body = format!(
                "<p class=\"notice\" id=\"enrollment-code\">{}</p><p><a href=\"/admin/asn\">{}</a></p>",
                tf(
                    "admin.code_created",
                    &[("name", &name), ("code", &code.code), ("expires", &expires)]
                ),
                t("admin.asn_title"),
            );
            Html(page(
                &t("admin.asn_title"),
                Some(&session.csrf_token),
                &body,
            ))
            .into_response()
        }
        Err(error) => {
            let error = crate::error::ApiError::from(error);
            html_error(
                error.status(),
                error.message_indonesian(),
                Some(&session.csrf_token),
            )
        }
    }
}
