//! The OpenAPI 3.1 document of the device and admin JSON APIs, served at
//! `/api/v1/openapi.json`. It is written by hand; a test checks that it describes every
//! `/api/v1` route the router serves and nothing else.

use axum::Json;
use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn json_body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn ok_array(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}}}}})
}

fn signed() -> Value {
    json!([{"deviceSignature": []}])
}

fn admin() -> Value {
    json!([{"adminSession": []}])
}

/// Builds the document.
pub fn document() -> Value {
    let date_parameter = json!({"name": "date", "in": "path", "required": true, "schema": {"type": "string", "format": "date"}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Siperlu server API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Device API (signed requests, see the deviceSignature scheme) and admin JSON API (session cookie plus x-csrf-token on changes). Every error body is {\"error\": {\"id\", \"message\"}}."
        },
        "paths": {
            "/api/v1/devices/register": {"post": {
                "summary": "Register a device with a one-time enrollment code",
                "requestBody": json_body("RegisterRequest"),
                "responses": {"201": ok("Device registered, or the same device again for a repeat of its registration with a live code", "RegisterResponse"), "400": error_response("Invalid field or NIP"), "403": error_response("Unknown, used or expired enrollment code"), "409": error_response("Device key already registered, or the ASN has no office or dinas luar assignment"), "413": error_response("Body too large"), "429": error_response("Rate limited")}
            }},
            "/api/v1/config": {"get": {
                "summary": "Signed configuration of the calling device", "security": signed(),
                "responses": {"200": ok("Signed ConfigDocument", "SignedDocument"), "401": error_response("Unsigned or badly signed request"), "409": error_response("Replayed request"), "429": error_response("Rate limited")}
            }},
            "/api/v1/time": {"get": {
                "summary": "Signed server time anchor", "security": signed(),
                "responses": {"200": ok("Signed TimeAnchor", "SignedDocument"), "401": error_response("Unsigned or badly signed request"), "409": error_response("Replayed request")}
            }},
            "/api/v1/records": {"post": {
                "summary": "Upload a batch of signed attendance records (1 to 100)", "security": signed(),
                "requestBody": json_body("UploadRequest"),
                "responses": {"200": ok("A result per record; at least one accepted or duplicate", "UploadResponse"),
                    "400": error_response("Malformed JSON or batch size"), "401": error_response("Unsigned or badly signed request"),
                    "409": error_response("Replayed request"), "413": error_response("Body too large"),
                    "422": {"description": "No record accepted: the error body plus `results`", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UploadRejected"}}}}}
            }},
            "/api/v1/plans/{date}": {
                "get": {"summary": "Work plan of a date", "security": signed(), "parameters": [date_parameter.clone()],
                    "responses": {"200": ok("The plan", "Plan"), "404": error_response("No plan for that date"), "401": error_response("Unsigned or badly signed request")}},
                "put": {"summary": "Store a signed revision of the work plan of a date", "security": signed(), "parameters": [date_parameter],
                    "requestBody": json_body("PlanRequest"),
                    "responses": {"200": ok("Stored plan", "Plan"), "400": error_response("Invalid or badly signed revision, or not editable on that day"), "401": error_response("Unsigned or badly signed request"), "409": error_response("Revision not newer than the stored one"), "413": error_response("Body too large")}}
            },
            "/api/v1/admin/session": {
                "post": {"summary": "Admin login; sets the session cookie", "requestBody": json_body("LoginRequest"),
                    "responses": {"200": ok("Logged in", "LoginResponse"), "401": error_response("Wrong credentials"), "429": error_response("Account locked")}},
                "delete": {"summary": "Admin logout", "security": admin(), "responses": {"204": {"description": "Logged out"}, "401": error_response("Not logged in")}}
            },
            "/api/v1/admin/opd": {
                "get": {"summary": "List OPD", "security": admin(), "responses": {"200": ok_array("OPD", "Opd")}},
                "post": {"summary": "Add an OPD", "security": admin(), "requestBody": json_body("NewOpd"), "responses": {"201": ok("Added", "Opd"), "400": error_response("Invalid"), "409": error_response("Duplicate name")}}
            },
            "/api/v1/admin/offices": {
                "get": {"summary": "List offices and dinas luar locations", "security": admin(), "responses": {"200": ok_array("Offices", "Office")}},
                "post": {"summary": "Add an office or dinas luar location with fences", "security": admin(), "requestBody": json_body("NewOffice"), "responses": {"201": ok("Added", "Office"), "400": error_response("Invalid"), "409": error_response("Duplicate code")}}
            },
            "/api/v1/admin/asn": {
                "get": {"summary": "List ASN", "security": admin(), "responses": {"200": ok_array("ASN", "Asn")}},
                "post": {"summary": "Add an ASN (NIP validated)", "security": admin(), "requestBody": json_body("Asn"), "responses": {"201": ok("Added", "Asn"), "400": error_response("Invalid NIP or field"), "409": error_response("Duplicate NIP")}}
            },
            "/api/v1/admin/assignments": {
                "get": {"summary": "List assignments", "security": admin(), "responses": {"200": ok_array("Assignments", "Assignment")}},
                "post": {"summary": "Assign an ASN to a location for a date range", "security": admin(), "requestBody": json_body("NewAssignment"), "responses": {"201": ok("Added", "Assignment"), "400": error_response("Invalid"), "404": error_response("Unknown ASN or office")}}
            },
            "/api/v1/admin/enrollment-codes": {"post": {
                "summary": "Create a one-time enrollment code for an ASN", "security": admin(), "requestBody": json_body("NewEnrollmentCode"),
                "responses": {"201": ok("The code, shown once", "EnrollmentCode"), "404": error_response("Unknown ASN")}
            }},
            "/api/v1/admin/devices": {"get": {
                "summary": "List registered devices", "security": admin(),
                "responses": {"200": ok_array("Devices", "Device")}
            }},
            "/api/v1/admin/devices/{id}/revoke": {"post": {
                "summary": "Revoke a device (a lost phone); its signed requests are rejected from then on", "security": admin(),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "Revoked"}, "404": error_response("No active device with that id")}
            }},
            "/api/v1/admin/checkins": {"get": {
                "summary": "Check-ins filtered by date, office, status and flag", "security": admin(),
                "parameters": [
                    {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "office_id", "in": "query", "schema": {"type": "integer"}},
                    {"name": "status", "in": "query", "schema": {"enum": ["pending", "approved", "rejected"]}},
                    {"name": "flag", "in": "query", "schema": {"type": "string"}, "description": "a flag id, or `any`"}
                ],
                "responses": {"200": ok_array("Check-ins", "Checkin"), "400": error_response("Invalid filter")}
            }},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI document"}}}}
        },
        "components": {
            "securitySchemes": {
                "deviceSignature": {"type": "apiKey", "in": "header", "name": "x-siperlu-signature",
                    "description": "Ed25519 signature (hex) by the device key over: SIPERLU-REQUEST-V1, METHOD, path with query, x-siperlu-timestamp (ms), x-siperlu-nonce, hex SHA-256 of the body, joined by newlines. Also send x-siperlu-device. Timestamps more than 5 minutes from server time and reused nonces are rejected."},
                "adminSession": {"type": "apiKey", "in": "cookie", "name": "siperlu_session",
                    "description": "Session cookie from POST /api/v1/admin/session; changes also need the x-csrf-token header."}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["id", "message", "messages"], "properties": {"id": {"type": "string", "examples": ["api.bad_signature"]}, "message": {"type": "string", "description": "English text"}, "messages": {"type": "object", "description": "The text in Bahasa Indonesia (id) and English (en)", "required": ["id", "en"], "properties": {"id": {"type": "string"}, "en": {"type": "string"}}}}}}},
                "RegisterRequest": {"type": "object", "required": ["enrollment_code", "nip", "device_public_key", "template_id"], "properties": {
                    "enrollment_code": {"type": "string"}, "nip": {"type": "string", "pattern": "^[0-9]{18}$"},
                    "device_public_key": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "template_id": {"type": "string", "maxLength": 128},
                    "device_id": {"type": "string", "format": "uuid", "description": "the id the phone's store created; records name it"}}},
                "RegisterResponse": {"type": "object", "properties": {"device_id": {"type": "string"}, "config": {"$ref": "#/components/schemas/SignedDocument"}}},
                "SignedDocument": {"type": "object", "required": ["document", "signature", "server_public_key", "envelope"], "properties": {
                    "document": {"type": "string", "description": "JSON text; the signature covers its exact UTF-8 bytes"},
                    "signature": {"type": "string", "pattern": "^[0-9a-f]{128}$"}, "server_public_key": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "envelope": {"type": "string", "contentEncoding": "base64", "description": "the document as a signed envelope (docs/PROTOCOL.md) under key id server-<first 16 hex of SHA-256 of the key>; phones verify this form"}}},
                "UploadRequest": {"type": "object", "required": ["records"], "properties": {"records": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string", "contentEncoding": "base64", "description": "signed record bytes (body then signature), see docs/PROTOCOL.md"}}}},
                "RecordResult": {"type": "object", "required": ["index", "status"], "properties": {"index": {"type": "integer"}, "record_id": {"type": ["string", "null"]}, "status": {"enum": ["accepted", "duplicate", "rejected"]}, "reason_id": {"type": "string"}, "flags": {"type": "array", "items": {"type": "string"}}}},
                "UploadResponse": {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/RecordResult"}}}},
                "UploadRejected": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/UploadResponse"}]},
                "PlanItem": {"type": "object", "properties": {"title": {"type": "string"}, "expected_output": {"type": "string"}, "window_minutes": {"type": ["array", "null"], "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}, "status": {"enum": ["planned", "done", "not_done"]}, "note": {"type": "string"}}},
                "PlanRequest": {"type": "object", "required": ["signed_revision"], "properties": {"signed_revision": {"type": "string", "contentEncoding": "base64", "description": "a signed plan revision by the calling device for its NIP and this date, see docs/PROTOCOL.md"}}},
                "Plan": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}, "revision": {"type": "integer"}, "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}}, "updated_at_ms": {"type": "integer"}, "signed_revision": {"type": "string", "contentEncoding": "base64"}}},
                "LoginRequest": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
                "LoginResponse": {"type": "object", "properties": {"csrf_token": {"type": "string"}}},
                "NewOpd": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                "Opd": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                "Fence": {"oneOf": [
                    {"type": "object", "required": ["type", "latitude_e7", "longitude_e7", "radius_m"], "properties": {"type": {"const": "circle"}, "latitude_e7": {"type": "integer"}, "longitude_e7": {"type": "integer"}, "radius_m": {"type": "integer", "minimum": 1, "maximum": 50000}}},
                    {"type": "object", "required": ["type", "exterior"], "properties": {"type": {"const": "polygon"}, "exterior": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}}, "holes": {"type": "array"}}}
                ]},
                "NewOffice": {"type": "object", "required": ["code", "name", "time_zone", "fences"], "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"enum": ["office", "dinas_luar"]}, "opd_id": {"type": "integer"},
                    "time_zone": {"enum": ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]}, "fences": {"type": "array", "items": {"$ref": "#/components/schemas/Fence"}}}},
                "Office": {"allOf": [{"$ref": "#/components/schemas/NewOffice"}, {"type": "object", "properties": {"id": {"type": "integer"}}}]},
                "Asn": {"type": "object", "required": ["nip", "name", "opd_id"], "properties": {"nip": {"type": "string"}, "name": {"type": "string"}, "opd_id": {"type": "integer"}}},
                "NewAssignment": {"type": "object", "required": ["nip", "office_id", "valid_from", "valid_until"], "properties": {"nip": {"type": "string"}, "office_id": {"type": "integer"}, "valid_from": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"}}},
                "Assignment": {"allOf": [{"$ref": "#/components/schemas/NewAssignment"}, {"type": "object", "properties": {"id": {"type": "integer"}}}]},
                "NewEnrollmentCode": {"type": "object", "required": ["nip"], "properties": {"nip": {"type": "string"}, "valid_minutes": {"type": "integer", "minimum": 1, "maximum": 10080}}},
                "EnrollmentCode": {"type": "object", "properties": {"code": {"type": "string"}, "nip": {"type": "string"}, "expires_at_ms": {"type": "integer"}}},
                "Device": {"type": "object", "properties": {"id": {"type": "string"}, "nip": {"type": "string"}, "template_id": {"type": "string"}, "registered_at_ms": {"type": "integer"}, "revoked_at_ms": {"type": ["integer", "null"]}, "last_sequence": {"type": ["integer", "null"]}}},
                "Checkin": {"type": "object", "properties": {"id": {"type": "string"}, "device_id": {"type": "string"}, "nip": {"type": "string"}, "kind": {"type": "string"}, "local_date": {"type": "string"}, "trusted_time_ms": {"type": "integer"}, "claimed_time_ms": {"type": "integer"}, "office_id": {"type": "integer"}, "latitude_e7": {"type": "integer"}, "longitude_e7": {"type": "integer"}, "accuracy_mm": {"type": "integer"}, "server_verdict": {"type": "string"}, "flags": {"type": "string"}, "status": {"type": "string"}}}
            }
        }
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn get_openapi() -> Json<Value> {
    Json(document())
}
