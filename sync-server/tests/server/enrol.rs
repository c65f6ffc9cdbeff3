//! Enrolment: a fresh code works once; unknown, used and expired codes are
//! refused with their own codes; a bad request does not burn the code.

use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::sync::SigningKey;
use feltlogg_core::sync::api::EnrolRequest;
use feltlogg_server::{admin, now_ms};

fn request(code: String) -> EnrolRequest {
    let (signer, _) = SigningKey::generate().expect("signer");
    EnrolRequest {
        code,
        device_public_key: signer.public_key().to_base64(),
        device_name: "Telefon 2".into(),
    }
}

#[tokio::test]
async fn fresh_code_enrols_once_and_second_use_fails() {
    let env = Env::new();
    let code = env.code();
    let (status, body) = env.post_enrol(&request(code.clone())).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let v = json(&body);
    assert_eq!(v["unit_id"], env.unit.to_string());
    assert_eq!(
        v["directory"].as_array().expect("directory").len(),
        2,
        "two workers with pins"
    );
    assert_eq!(v["areas"].as_array().expect("areas").len(), 17);
    assert_eq!(v["server_public_key"], env.state.server_public.to_base64());
    assert!(v["token"].as_str().expect("token").len() >= 43);

    // Typed in lower case with a dash, the same code is still recognised: and used.
    let retyped = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    let (status, body) = env.post_enrol(&request(retyped)).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(json(&body)["code"], "enrol_code_used");
}

#[tokio::test]
async fn unknown_and_expired_codes_are_refused_by_name() {
    let env = Env::new();
    let (status, body) = env.post_enrol(&request("AAAAAAAAAA".into())).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (StatusCode::UNAUTHORIZED, "enrol_code_unknown".into())
    );

    let unit = env.unit.to_string();
    let expired = env
        .state
        .db
        .write_blocking(|c| admin::make_enrol_code(c, &operator(), &unit, 60, now_ms() - 2 * HOUR))
        .expect("code")
        .code;
    let (status, body) = env.post_enrol(&request(expired)).await;
    assert_eq!(status, StatusCode::GONE);
    let v = json(&body);
    assert_eq!(v["code"], "enrol_code_expired");
    assert!(
        v["message"]
            .as_str()
            .expect("message")
            .contains("team lead"),
        "{v}"
    );
}

#[tokio::test]
async fn bad_public_key_is_400_and_does_not_burn_the_code() {
    let env = Env::new();
    let code = env.code();
    let mut req = request(code.clone());
    req.device_public_key = "not base64!".into();
    let (status, body) = env.post_enrol(&req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json(&body)["message"]
            .as_str()
            .expect("msg")
            .contains("device_public_key")
    );
    let (status, _) = env.post_enrol(&request(code)).await;
    assert_eq!(status, StatusCode::OK, "the code still works");

    let (status, body) = env
        .send(
            axum::http::Request::post("/api/v1/devices/enrol")
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"code\": 5}"))
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&body)["code"], "bad_request");
}
