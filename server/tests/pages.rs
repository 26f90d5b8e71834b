//! The admin web pages of a real server: login with CSRF and lockout, escaping, the detail
//! page with its SVG map and work plan, the review with its audit entry, and the exports.

mod common;

use common::*;

/// Logs in through the HTML form and returns the session cookie pair.
async fn login_with_form(server: &TestServer, password: &str) -> Reply {
    let page = send(server.address, "GET", "/admin/login", &[], b"").await;
    assert_eq!(page.status, 200);
    let login_cookie = page
        .header("set-cookie")
        .expect("login csrf cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let html = page.text();
    let token = extract_value(&html, "name=\"csrf_token\" value=\"");
    let form = format!(
        "username=admin&password={}&csrf_token={}",
        password.replace('-', "%2D"),
        token
    );
    send(
        server.address,
        "POST",
        "/admin/login",
        &[
            ("cookie", login_cookie),
            ("content-type", "application/x-www-form-urlencoded".into()),
        ],
        form.as_bytes(),
    )
    .await
}

fn extract_value(html: &str, marker: &str) -> String {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page: {html}"))
        + marker.len();
    html[start..].split('"').next().expect("value").to_string()
}

/// Returns the session cookie pair that a login set, under either cookie name.
fn session_cookie(reply: &Reply) -> String {
    full_session_cookie(reply)
        .split(';')
        .next()
        .expect("pair")
        .to_string()
}

/// Returns the whole `Set-Cookie` value of the session cookie that a login set.
fn full_session_cookie(reply: &Reply) -> String {
    reply
        .headers_named("set-cookie")
        .into_iter()
        .find(|value| {
            let pair = value.split(';').next().unwrap_or("");
            let (name, token) = pair.split_once('=').unwrap_or(("", ""));
            name.ends_with("siperlu_session") && !token.is_empty()
        })
        .expect("session cookie")
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_require_login() {
    let server = start_server(|_| {}).await;
    for path in [
        "/admin/checkins",
        "/admin/audit",
        "/admin/export",
        "/admin/checkins/x",
        "/admin/export/recap?month=2026-12&opd_id=1",
    ] {
        let reply = send(server.address, "GET", path, &[], b"").await;
        assert_eq!(reply.status, 303, "{path}");
        assert_eq!(reply.header("location"), Some("/admin/login"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn form_login_needs_csrf_and_locks_out() {
    let server = start_server(|_| {}).await;
    let no_token = send(
        server.address,
        "POST",
        "/admin/login",
        &[("content-type", "application/x-www-form-urlencoded".into())],
        format!("username=admin&password={ADMIN_PASSWORD}&csrf_token=abc").as_bytes(),
    )
    .await;
    assert_eq!(
        no_token.status, 403,
        "login without the CSRF cookie is rejected"
    );

    let ok = login_with_form(&server, ADMIN_PASSWORD).await;
    assert_eq!(ok.status, 303, "{}", ok.text());
    let cookie = session_cookie(&ok);
    let list = send(
        server.address,
        "GET",
        "/admin/checkins",
        &[("cookie", cookie)],
        b"",
    )
    .await;
    assert_eq!(list.status, 200);
    assert!(
        list.text().contains("Daftar Presensi"),
        "page is in Bahasa Indonesia"
    );

    for _ in 0..4 {
        let wrong = login_with_form(&server, "salah-sekali-9999").await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.text().contains("Nama pengguna atau kata sandi salah"));
    }
    let locked = login_with_form(&server, "salah-sekali-9999").await;
    assert_eq!(locked.status, 429, "fifth failure locks the account");
    let retry_after_s: u64 = locked
        .header("retry-after")
        .expect("Retry-After header on a locked login")
        .parse()
        .expect("Retry-After in seconds");
    assert!(
        (1..=15 * 60).contains(&retry_after_s),
        "Retry-After within the 15-minute lockout: {retry_after_s}"
    );
    assert!(
        locked.text().contains("Coba lagi dalam 15 menit"),
        "the notice says how long: {}",
        locked.text()
    );
    let still_locked = login_with_form(&server, ADMIN_PASSWORD).await;
    assert_eq!(
        still_locked.status, 429,
        "the right password is refused while locked"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn office_name_is_escaped() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let evil = "<script>alert('x')</script>";
    let (opd_id, office_id) = admin.create_office("KB-01", evil).await;
    let nip = nip_with_serial(1);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;
    let record = phone.next_record();
    let upload = phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    assert_eq!(upload.status, 200, "{}", upload.text());

    let list = admin.get("/admin/checkins").await;
    let html = list.text();
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "raw script tag in page");

    let detail = admin
        .get(&format!("/admin/checkins/{}", record.record().record_id))
        .await;
    assert_eq!(detail.status, 200);
    assert!(
        !detail.text().contains("<script>"),
        "raw script tag in detail page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn review_records_audit_and_shows_plan() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(7);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;
    let record = phone.next_record();
    phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    let date = chrono::DateTime::from_timestamp_millis(record.record().trusted_time_ms)
        .expect("time")
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let (plan_path, plan) = phone.plan_body(1, &["Pelayanan izin usaha"]);
    let put = phone.signed("PUT", &plan_path, &plan).await;
    assert_eq!(put.status, 200, "{}", put.text());

    let path = format!("/admin/checkins/{}", record.record().record_id);
    let detail = admin.get(&path).await;
    let html = detail.text();
    assert!(html.contains("<svg"), "map is drawn");
    assert!(
        html.contains("class=\"fence\"") && html.contains("class=\"accuracy\""),
        "{html}"
    );
    assert!(
        html.contains("Pelayanan izin usaha"),
        "work plan beside the check-in"
    );
    assert!(!html.contains(&nip), "the full NIP is masked on the page");

    // A form without the CSRF token is refused, and a rejection needs a reason.
    let no_csrf = admin
        .post_form(
            &format!("{path}/review"),
            "decision=approve&csrf_token=wrong",
        )
        .await;
    assert_eq!(no_csrf.status, 403);
    let no_reason = admin
        .post_form(
            &format!("{path}/review"),
            &format!("decision=reject&reason=&csrf_token={}", admin.csrf_token),
        )
        .await;
    assert_eq!(no_reason.status, 400);
    let bad_decision = admin
        .post_form(
            &format!("{path}/review"),
            &format!("decision=maybe&csrf_token={}", admin.csrf_token),
        )
        .await;
    assert_eq!(bad_decision.status, 400);
    let html = bad_decision.text();
    assert!(
        html.contains("Nilai maybe pada kolom Keputusan tidak valid. Gunakan Setujui atau Tolak."),
        "{html}"
    );

    let approved = admin
        .post_form(
            &format!("{path}/review"),
            &format!(
                "decision=approve&reason=sesuai+rencana&csrf_token={}",
                admin.csrf_token
            ),
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.text());
    let after = admin.get(&path).await.text();
    assert!(
        after.contains("<span id=\"status\">Disetujui</span>"),
        "{after}"
    );

    let audit = admin.get("/admin/audit").await.text();
    assert!(
        audit.contains("checkin.approve") && audit.contains("sesuai rencana"),
        "{audit}"
    );
    assert!(
        audit.contains("<span title=\"checkin.approve\">presensi disetujui</span>"),
        "the audit action shows its catalog label, with the id as title: {audit}"
    );

    let csv = admin
        .get(&format!(
            "/admin/export/recap?month={}&opd_id={opd_id}&format=csv",
            &date.to_string()[..7]
        ))
        .await;
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert!(text.starts_with("NIP,Nama,Hari hadir"), "{text}");
    assert!(text.contains(&format!("{nip},ASN 007,1,1,1,0,0")), "{text}");

    let xlsx = admin
        .get(&format!(
            "/admin/export/recap?month={}&opd_id={opd_id}&format=xlsx",
            &date.to_string()[..7]
        ))
        .await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(&xlsx.body[..2], b"PK", "XLSX is a zip file");

    let bad_month = admin
        .get(&format!(
            "/admin/export/recap?month=2026-13&opd_id={opd_id}"
        ))
        .await;
    assert_eq!(bad_month.status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn enrollment_code_from_page_registers() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(9);
    admin.enroll_asn(&nip, opd_id, office_id).await;

    let list = admin.get("/admin/asn").await;
    assert_eq!(list.status, 200);
    let html = list.text();
    assert!(html.contains(&nip), "{html}");
    assert!(
        html.contains("Kode pendaftaran yang dibuat"),
        "the page has a column of issued codes: {html}"
    );
    assert!(
        html.contains(", belum dipakai, berlaku sampai "),
        "the code from enroll_asn is listed as unused: {html}"
    );

    let created = admin
        .post_form(
            &format!("/admin/asn/{nip}/enrollment-code"),
            &format!("csrf_token={}", admin.csrf_token),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text());
    let html = created.text();
    let code = html
        .split("Kode pendaftaran perangkat untuk ASN 009: ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_else(|| panic!("no code in page: {html}"))
        .to_string();
    assert_eq!(code.len(), 10, "{code}");
    register_phone(server.address, &nip, &code).await;

    let list = admin.get("/admin/asn").await;
    let html = list.text();
    assert!(
        html.contains(", dipakai "),
        "the used code is listed as used: {html}"
    );
    assert!(
        !html.contains(&code),
        "the code itself is never shown again"
    );

    let forged = admin
        .post_form(
            &format!("/admin/asn/{nip}/enrollment-code"),
            "csrf_token=salah",
        )
        .await;
    assert_eq!(forged.status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_form_gets_error_page() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let reply = admin
        .post_form("/admin/checkins/x/review", "decision=approve")
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    let html = reply.text();
    assert!(
        html.contains("Isian formulir tidak lengkap atau tidak valid"),
        "{html}"
    );
    assert!(
        !html.contains("Failed to deserialize"),
        "axum's English rejection stays out of the page: {html}"
    );
    assert!(
        html.contains("<title>Permintaan Tidak Dapat Diproses - Admin Siperlu</title>"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_errors_are_indonesian() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;

    let bad_date = admin.get("/admin/checkins?date=bad").await;
    assert_eq!(bad_date.status, 400);
    let html = bad_date.text();
    assert!(
        html.contains(
            "Nilai bad pada kolom Tanggal tidak valid. Gunakan tanggal dengan format tttt-bb-hh"
        ),
        "{html}"
    );
    assert!(!html.contains("is not a date"), "{html}");
    assert!(!html.contains("kolom date"), "{html}");

    let bad_status = admin.get("/admin/checkins?status=done").await;
    assert_eq!(bad_status.status, 400);
    let html = bad_status.text();
    assert!(
        html.contains("Nilai done pada kolom Status verifikasi tidak valid"),
        "{html}"
    );
    assert!(
        html.contains("Gunakan Menunggu (pending), Disetujui (approved) atau Ditolak (rejected)"),
        "the page names the labels it shows: {html}"
    );

    let bad_flag = admin.get("/admin/checkins?flag=foo").await;
    assert_eq!(bad_flag.status, 400, "{}", bad_flag.text());
    let html = bad_flag.text();
    assert!(
        html.contains("Nilai foo pada kolom Tanda tidak valid"),
        "{html}"
    );
    let old_flag = admin
        .get("/admin/checkins?flag=location.retired_check")
        .await;
    assert_eq!(
        old_flag.status,
        200,
        "a well-formed flag id that no record carries lists nothing: {}",
        old_flag.text()
    );

    let long_reason = admin
        .post_form(
            "/admin/checkins/x/review",
            &format!(
                "csrf_token={}&decision=reject&reason={}",
                admin.csrf_token,
                "a".repeat(5000)
            ),
        )
        .await;
    assert_eq!(long_reason.status, 400, "{}", long_reason.text());
    let html = long_reason.text();
    assert!(
        html.contains(
            "Kolom Alasan tidak valid: panjangnya 5000 karakter, padahal yang diterima paling banyak 1000 karakter"
        ),
        "{html}"
    );
    assert!(!html.contains("Nilai 5000"), "{html}");

    let unknown_asn = admin
        .post_form(
            &format!("/admin/asn/{}/enrollment-code", nip_with_serial(9)),
            &format!("csrf_token={}", admin.csrf_token),
        )
        .await;
    assert_eq!(unknown_asn.status, 404);
    let html = unknown_asn.text();
    assert!(html.contains("Tidak ditemukan: ASN dengan NIP"), "{html}");
    assert!(!html.contains("with NIP"), "{html}");

    // serde's English text ("duplicate field `date`") stays in the log.
    let repeated = admin
        .get("/admin/checkins?date=2026-12-01&date=2026-12-02")
        .await;
    assert_eq!(repeated.status, 400);
    let html = repeated.text();
    assert!(html.contains("Isian formulir tidak lengkap"), "{html}");
    assert!(!html.contains("duplicate"), "{html}");

    let bad_month = admin.get("/admin/export/recap?month=bad&opd_id=1").await;
    assert_eq!(
        bad_month.status,
        404,
        "unknown OPD first: {}",
        bad_month.text()
    );
    assert!(
        bad_month
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "a recap error is a page, not JSON"
    );
    assert!(
        bad_month.text().contains("Tidak ditemukan: OPD 1"),
        "{}",
        bad_month.text()
    );

    let (opd_id, _) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let bad_month = admin
        .get(&format!("/admin/export/recap?month=bad&opd_id={opd_id}"))
        .await;
    assert_eq!(bad_month.status, 400);
    assert!(
        bad_month.text().contains(
            "Nilai bad pada kolom Bulan tidak valid. Gunakan bulan dengan format tttt-bb"
        ),
        "{}",
        bad_month.text()
    );
    let export_form = admin.get("/admin/export").await;
    assert!(
        export_form.text().contains("Bulan (tttt-bb)"),
        "the form names the format as its error does: {}",
        export_form.text()
    );

    let no_query = admin.get("/admin/export/recap").await;
    assert_eq!(no_query.status, 400);
    assert!(
        no_query
            .text()
            .contains("Pilih bulan (tttt-bb) dan OPD untuk rekap"),
        "{}",
        no_query.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_path_errors_are_html() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;

    let unknown = admin.get("/admin/nope").await;
    assert_eq!(unknown.status, 404);
    assert!(
        unknown
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "an unknown admin path gets a page, not JSON"
    );
    let html = unknown.text();
    assert!(
        html.contains("Halaman /admin/nope tidak ditemukan"),
        "{html}"
    );
    assert!(!html.contains("Not found"), "{html}");

    let wrong_method = admin.post_form("/admin/checkins", "x=1").await;
    assert_eq!(wrong_method.status, 405);
    assert!(
        wrong_method
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "a wrong method on an admin page gets a page, not JSON"
    );
    let html = wrong_method.text();
    assert!(
        html.contains("Halaman ini tidak menerima permintaan POST"),
        "{html}"
    );
    assert!(!html.contains("not supported"), "{html}");

    // The JSON API under /api/v1/admin keeps its JSON errors.
    let api = admin.get("/api/v1/admin/nope").await;
    assert_eq!(api.status, 404);
    assert_eq!(api.error_id(), "api.not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn checkin_labels_are_indonesian() {
    let server = start_server(|_| {}).await;
    let admin = login_admin(server.address).await;
    let (opd_id, office_id) = admin.create_office("KB-01", "Balai Kota Bogor").await;
    let nip = nip_with_serial(8);
    let code = admin.enroll_asn(&nip, opd_id, office_id).await;
    let mut phone = register_phone(server.address, &nip, &code).await;
    // About 1.1 km north of the office, while the phone claims inside.
    let record = phone.next_record_at(
        OFFICE_LAT + 0.01,
        OFFICE_LON,
        siperlu_core::record::GeofenceCode::Inside,
    );
    let reply = phone
        .signed("POST", "/api/v1/records", &batch_body(&[record.as_bytes()]))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    let list = admin.get("/admin/checkins").await.text();
    let detail = admin
        .get(&format!("/admin/checkins/{}", record.record().record_id))
        .await
        .text();
    for html in [&list, &detail] {
        assert!(html.contains(">Masuk<"), "kind label: {html}");
        assert!(!html.contains("check_in"), "no raw kind: {html}");
        assert!(
            html.contains("server: di luar area; ponsel: di dalam area"),
            "both verdicts labelled: {html}"
        );
        assert!(
            html.contains("<span class=\"flag\" title=\"ingest.verdict_mismatch\">putusan ponsel dan server berbeda</span>"),
            "flag label with its id as title: {html}"
        );
        assert!(
            html.contains("title=\"geofence.outside\">di luar area</span>"),
            "{html}"
        );
    }
    assert!(!list.contains("placeholder=\"any\""), "{list}");
    assert!(
        list.contains("<option value=\"any\">ada tanda apa pun</option>"),
        "{list}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_cookie_not_secure() {
    let server = start_server(|_| {}).await;
    let page = send(server.address, "GET", "/admin/login", &[], b"").await;
    let login_cookie = page.header("set-cookie").expect("login csrf cookie");
    assert!(
        login_cookie.starts_with("siperlu_login_csrf="),
        "{login_cookie}"
    );
    assert!(!login_cookie.contains("Secure"), "{login_cookie}");

    let login = login_with_form(&server, ADMIN_PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.text());
    let cookie = full_session_cookie(&login);
    assert!(cookie.starts_with("siperlu_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");

    let list = send(
        server.address,
        "GET",
        "/admin/checkins",
        &[("cookie", session_cookie(&login))],
        b"",
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn https_public_url_secures_cookies() {
    let server = start_server(|config| {
        config.public_url = Some("https://presensi.example.go.id".into());
    })
    .await;
    let page = send(server.address, "GET", "/admin/login", &[], b"").await;
    let login_cookie = page.header("set-cookie").expect("login csrf cookie");
    assert!(
        login_cookie.starts_with("__Host-siperlu_login_csrf="),
        "{login_cookie}"
    );
    assert!(login_cookie.contains("; Secure"), "{login_cookie}");
    assert!(login_cookie.contains("; Path=/;"), "{login_cookie}");

    let login = login_with_form(&server, ADMIN_PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.text());
    let cookie = full_session_cookie(&login);
    assert!(cookie.starts_with("__Host-siperlu_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");

    let pair = session_cookie(&login);
    let list = send(
        server.address,
        "GET",
        "/admin/checkins",
        &[("cookie", pair.clone())],
        b"",
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text());

    // The token under the bare name is not a session on an https server.
    let bare = pair.replace("__Host-siperlu_session=", "siperlu_session=");
    let rejected = send(
        server.address,
        "GET",
        "/admin/checkins",
        &[("cookie", bare)],
        b"",
    )
    .await;
    assert_eq!(rejected.status, 303, "{}", rejected.text());

    let api_login = send(
        server.address,
        "POST",
        "/api/v1/admin/session",
        &[("content-type", "application/json".into())],
        format!(r#"{{"username": "admin", "password": "{ADMIN_PASSWORD}"}}"#).as_bytes(),
    )
    .await;
    assert_eq!(api_login.status, 200, "{}", api_login.text());
    let api_cookie = api_login.header("set-cookie").expect("api session cookie");
    assert!(
        api_cookie.starts_with("__Host-siperlu_session="),
        "{api_cookie}"
    );
    assert!(api_cookie.contains("; Secure"), "{api_cookie}");
}
