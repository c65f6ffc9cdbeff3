//! Seeding the hostile-strings test: every value put where a person
//! would put it, through the admin's forms where the dashboard has one,
//! else as the phone or youth would have left it in the database.

use super::web::Web;
use super::{Page, Values};
use crate::feedback::{answers, last_quarter};
use crate::util::{Env, HOUR, PASSWORD};
use feltlogg_core::change::{Change, RecordState};
use feltlogg_core::hlc::Hlc;
use feltlogg_core::ids::{DeviceId, EncounterId, MemberId, ReferralId, ShiftId, UnitId, UserId};
use feltlogg_core::record::{Encounter, Record, Referral, Shift, ShiftMember};
use feltlogg_core::{
    Action, AgeGroup, ContactKind, Gender, PlaceType, ReferralService, ReferralStatus, Residence,
    ShiftStatus, Topic,
};
use feltlogg_server::db::encounter_facts::LazyCodes;
use feltlogg_server::db::refusals::{self, NewRefusal};
use feltlogg_server::db::sessions::{self, Origin};
use feltlogg_server::db::{areas, losses, records, users};
use feltlogg_server::now_ms;
use feltlogg_server::sync::token::sha256;

/// What the seeding made.
pub(super) struct Seeded {
    pub unit: UnitId,
    pub lead: UserId,
    pub lead_session: (String, String),
    pub queued: ShiftId,
    pub returned: ShiftId,
    pub quarter: String,
}

/// Puts every hostile value where a person would: through the admin's
/// forms where the dashboard has one, else as the phone or youth would
/// have left it in the database.
pub(super) async fn seed(
    env: &Env,
    web: &Web,
    admin: &(String, String),
    h: &Values,
    pages: &mut Vec<Page>,
) -> Result<Seeded, String> {
    env.db(|c| {
        areas::insert(
            c,
            &feltlogg_core::area::Area {
                code: "039901".into(),
                name: h.get("area").into(),
            },
        )
    });
    // Each answer is a page too (a form sent back shows what was sent).
    let mut expect = |what: &str, page: Page, want: &[u16]| {
        let status = page.1;
        if want.contains(&status) {
            pages.push(page);
            Ok(())
        } else {
            Err(format!("{what}: status {status}: {}", page.2))
        }
    };
    let r = web
        .post(
            Some(admin),
            "/admin/units",
            &[("name", h.get("unit")), ("bydel", "039901")],
        )
        .await;
    expect("unit add", r, &[303])?;
    let unit = env
        .db(|c| feltlogg_server::db::units::find(c, h.get("unit")))
        .ok_or("the unit was not stored")?
        .id;
    let u = unit.to_string();
    for (name, display, role) in [
        (h.get("username"), h.get("display"), "worker"),
        (h.get("lead"), h.get("display"), "team_lead"),
    ] {
        let fields = [
            ("username", name),
            ("display_name", display),
            ("role", role),
            ("unit", u.as_str()),
            ("pin", if role == "worker" { "482913" } else { "" }),
            ("password", if role == "worker" { "" } else { PASSWORD }),
        ];
        expect(
            "user add",
            web.post(Some(admin), "/admin/users", &fields).await,
            &[303],
        )?;
    }
    let listed = env.db(|c| users::list(c));
    let id_of = |name: &str| listed.iter().find(|l| l.username == name).map(|l| l.id);
    let worker = id_of(h.get("username")).ok_or("worker not stored")?;
    let lead = id_of(h.get("lead")).ok_or("lead not stored")?;
    let r = web
        .post(
            Some(admin),
            &format!("/admin/users/{lead}/oidc"),
            &[("subject", h.get("subject")), ("email", "")],
        )
        .await;
    expect("oidc link", r, &[303])?;
    let r = web
        .post(
            Some(admin),
            &format!("/words/{unit}/add"),
            &[("word", h.get("word"))],
        )
        .await;
    expect("word add", r, &[303])?;
    let queued = shift(env, unit, [worker, env.workers_a[0]], h);
    let returned = shift(env, unit, [worker, env.workers_a[0]], h);
    let r = web
        .post(
            Some(admin),
            &format!("/shifts/{returned}/return"),
            &[("comment", h.get("comment"))],
        )
        .await;
    // The screen may take a fragment for a name and send the form back.
    expect("return", r, &[303, 400, 422])?;
    phone(env, unit, queued, h.get("device"))?;
    let (_, _, day) = last_quarter();
    answers(env, unit, day, 7, Some(h.get("feedback")));
    let (y, q, _) = last_quarter();
    let lead_session = session_with_agent(env, lead, h.get("agent"));
    // The admin's own session gets the agent too, for the admin's page.
    let _ = session_with_agent(env, env.admin, h.get("agent"));
    Ok(Seeded {
        unit,
        lead,
        lead_session,
        queued,
        returned,
        quarter: format!("/feedback?kind=quarter&year={y}&quarter={q}"),
    })
}

/// A session of `user` begun from a browser calling itself `agent`.
fn session_with_agent(env: &Env, user: UserId, agent: &str) -> (String, String) {
    let token = format!("token-{}", uuid::Uuid::now_v7());
    let csrf = format!("csrf-{}", uuid::Uuid::now_v7());
    let origin = Origin {
        addr: "127.0.0.1".into(),
        user_agent: agent.into(),
        method: "password".into(),
    };
    let now = now_ms();
    env.db(|c| {
        sessions::insert_from(
            c,
            &sha256(token.as_bytes()),
            user,
            &csrf,
            &origin,
            now,
            now + HOUR,
        )
    });
    (token, csrf)
}

/// A phone named `name` in `unit`: a refused change of `shift` and a lost
/// batch reported by it.
fn phone(env: &Env, unit: UnitId, shift: ShiftId, name: &str) -> Result<(), String> {
    let (signer, _) = feltlogg_core::sync::SigningKey::generate().map_err(|e| e.to_string())?;
    let server = env.state.server_public;
    let device = env
        .state
        .db
        .write_blocking(|c| {
            let operator = feltlogg_server::db::audit::Actor::operator("test");
            let code = feltlogg_server::admin::make_enrol_code(
                c,
                &operator,
                &unit.to_string(),
                60,
                now_ms(),
            )?
            .code;
            let req = feltlogg_core::sync::api::EnrolRequest {
                code,
                device_public_key: signer.public_key().to_base64(),
                device_name: name.into(),
            };
            feltlogg_server::sync::enrol::enrol(c, &req, &server, now_ms())
        })
        .map_err(|e| format!("enrol: {e}"))?
        .device_id;
    let change = Change {
        kind: feltlogg_core::record::RecordKind::Shift,
        id: shift.uuid(),
        fields: Default::default(),
        hlc: stamp(),
    };
    env.db(|c| {
        let r = NewRefusal {
            device_id: device,
            unit_id: unit,
            batch_seq: 1,
            change: &change,
            code: "shift_locked",
            reason: "the shift is locked",
        };
        refusals::insert(c, &r, now_ms())?;
        losses::insert_batch_loss(c, device, 1, 3, now_ms())
    });
    Ok(())
}

fn stamp() -> Hlc {
    Hlc {
        wall_ms: now_ms(),
        counter: 0,
        device: DeviceId(uuid::Uuid::now_v7()),
    }
}

/// A closed shift of `unit` with every free text hostile (the encounter's
/// note with a phone number too, so the old-data scan lists it).
fn shift(env: &Env, unit: UnitId, workers: [UserId; 2], h: &Values) -> ShiftId {
    let started = now_ms() - 30 * HOUR;
    let closed = started + 3 * HOUR;
    let s = Shift {
        id: ShiftId::new(),
        unit_id: unit,
        bydel: "039901".into(),
        area_note: h.get("area_note").into(),
        started_ms: started,
        closed_ms: Some(closed),
        status: ShiftStatus::Closed,
        reflection: Some(h.get("reflection").into()),
        not_a_person: Vec::new(),
    };
    let mut recs = vec![(s.id.uuid(), state_of(&s))];
    for w in workers {
        let m = ShiftMember {
            id: MemberId::new(),
            shift_id: s.id,
            worker_id: w,
            checked_in_ms: started,
            checked_out_ms: Some(closed),
        };
        recs.push((m.id.uuid(), state_of(&m)));
    }
    let e = Encounter {
        id: EncounterId::new(),
        shift_id: s.id,
        at_ms: started + HOUR,
        bydel: "039901".into(),
        place_type: PlaceType::Park,
        youth_count: 2,
        age_group: AgeGroup::From13To15,
        gender: Gender::Girl,
        contact_kind: ContactKind::New,
        topics: vec![Topic::School],
        actions: vec![Action::Conversation],
        residence: Residence::ThisBydel,
        note: Some(format!("{} 91234567", h.get("enc_note"))),
        not_a_person: Vec::new(),
    };
    let r = Referral {
        id: ReferralId::new(),
        encounter_id: e.id,
        shift_id: s.id,
        service: ReferralService::ALL[0],
        status: ReferralStatus::ALL[0],
        note: Some(h.get("ref_note").into()),
        not_a_person: Vec::new(),
    };
    recs.push((e.id.uuid(), state_of(&e)));
    recs.push((r.id.uuid(), state_of(&r)));
    env.db(|c| {
        let codes = &mut LazyCodes::default();
        for (id, st) in &recs {
            records::upsert(c, codes, *id, unit, st, None, now_ms())?;
        }
        Ok(())
    });
    s.id
}

fn state_of<R: Record>(record: &R) -> RecordState {
    RecordState::of_record(record, stamp())
}
