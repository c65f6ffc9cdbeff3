//! Lost and retired phones (issue 16): the signed instruction, who may
//! still push, what a revoked phone's pull carries, and the audit row.

use crate::util::*;
use axum::http::StatusCode;
use feltlogg_core::sync::{RevocationKind, SignedRevocation};
use feltlogg_server::db::{audit, devices};
use feltlogg_server::{ApiError, admin, now_ms};

fn revoke(env: &Env, phone: &Phone, kind: RevocationKind) -> Result<SignedRevocation, ApiError> {
    let key = env.state.server_key.clone();
    let device = phone.enrolled.device_id;
    let by = audit::Actor::user(env.lead, "tone");
    env.state
        .db
        .write_blocking(|tx| admin::revoke_device(tx, &key, &by, device, kind, now_ms()))
}

#[tokio::test]
async fn a_lost_phone_pulls_only_its_signed_instruction_and_cannot_push() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    assert_eq!(env.push(&phone, sealed).await.0, StatusCode::OK);
    let signed = revoke(&env, &phone, RevocationKind::Lost).expect("revoke");

    let page = env.pull(&phone, 0).await;
    let got = page.revocation.expect("the page carries the instruction");
    assert_eq!(got, signed, "the very instruction stored");
    let r = got
        .verify(&phone.server_key(), phone.enrolled.device_id)
        .expect("signed with the pinned key, for this phone");
    assert_eq!(r.kind, RevocationKind::Lost);
    assert!(page.revoked);
    assert!(
        page.changes.is_empty() && page.directory.is_none() && page.areas.is_none(),
        "a lost phone learns nothing more of the unit"
    );

    let (status, body) = env.push(&phone, phone.seal(2, vec![])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(json(&body)["code"], "device_revoked");

    let entries = env.db(|c| audit::list(c, None, 10));
    let row = entries
        .iter()
        .find(|e| e.action == "device_revoke")
        .expect("audited");
    assert_eq!(
        (
            row.username.as_str(),
            row.target.clone(),
            row.detail.as_str()
        ),
        ("tone", phone.enrolled.device_id.to_string(), "kind=lost")
    );
    let seen = env.db(|c| devices::get(c, phone.enrolled.device_id));
    assert!(
        seen.expect("device").last_contact_ms >= Some(got.revocation.revoked_at_ms),
        "the pull is noted as contact after the revocation"
    );
}

#[tokio::test]
async fn a_retired_phone_still_pushes_its_last_batch_then_may_be_reported_lost() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    revoke(&env, &phone, RevocationKind::Retire).expect("retire");
    let (_, _, changes) = started_shift(&env, &mut phone);
    let sealed = phone.next(changes);
    let (status, body) = env.push(&phone, sealed).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let page = env.pull(&phone, 0).await;
    assert_eq!(
        page.revocation.expect("instruction").revocation.kind,
        RevocationKind::Retire
    );
    assert!(page.changes.is_empty());

    let again = revoke(&env, &phone, RevocationKind::Retire).expect_err("retired already");
    assert_eq!(again.code().as_str(), "already_revoked");
    revoke(&env, &phone, RevocationKind::Lost).expect("a retired phone can be reported lost");
    assert_eq!(
        env.push(&phone, phone.seal(2, vec![])).await.0,
        StatusCode::FORBIDDEN
    );
    let back = revoke(&env, &phone, RevocationKind::Retire).expect_err("lost stays lost");
    assert_eq!(back.code().as_str(), "already_revoked");
    assert_eq!(
        env.db(|c| audit::count_action(c, "device_revoke")),
        2,
        "one row per change, none for the refused ones"
    );
}

#[tokio::test]
async fn an_unknown_device_is_not_found_and_nothing_is_audited() {
    let env = Env::new();
    let key = env.state.server_key.clone();
    let err = env
        .state
        .db
        .write_blocking(|tx| {
            admin::revoke_device(
                tx,
                &key,
                &operator(),
                feltlogg_core::ids::DeviceId::new(),
                RevocationKind::Lost,
                now_ms(),
            )
        })
        .expect_err("no such device");
    assert!(matches!(err, ApiError::NotFound(_)), "{err:?}");
    assert_eq!(env.db(|c| audit::count_action(c, "device_revoke")), 0);
}
