//! The app lock on a real store: who may open it, that wrong PINs count
//! against the persisted allowance (and survive a restart), and the
//! no-contact lock that only a sync lifts.

mod common;

use common::{PIN_A, PIN_B, PIN_C, T0, fixture};
use feltlogg_core::time::DAY_MS;
use feltlogg_device::lock::{
    self, CONTACT_BASELINE, Lock, LockPolicy, LockReason, UnlockError, last_contact, unlockers,
};
use feltlogg_device::store::StoreError;

const POLICY: LockPolicy = LockPolicy {
    idle_ms: 60_000,
    no_contact_ms: 14 * DAY_MS,
};

fn ids(list: &[feltlogg_core::directory::WorkerEntry]) -> Vec<feltlogg_core::ids::UserId> {
    let mut out: Vec<_> = list.iter().map(|w| w.id).collect();
    out.sort();
    out
}

#[test]
fn with_no_open_shift_any_active_worker_may_open_the_lock() {
    let f = fixture();
    let mut all = vec![f.a, f.b, f.c];
    all.sort();
    assert_eq!(ids(&unlockers(&f.store, T0).expect("unlockers")), all);
}

#[test]
fn on_an_open_shift_only_the_workers_checked_in_may_open_it() {
    let mut f = fixture();
    let shift = f.start_ab();
    let mut pair = vec![f.a, f.b];
    pair.sort();
    assert_eq!(ids(&unlockers(&f.store, T0 + 1).expect("unlockers")), pair);
    let mut lock = Lock::new(POLICY, true, T0);
    let e = lock::unlock(&mut f.store, &mut lock, f.c, PIN_C, T0 + 1).expect_err("not on shift");
    assert!(matches!(e, UnlockError::NotAllowed { .. }), "{e:?}");
    assert_eq!(lock.reason(Some(T0), T0 + 1), Some(LockReason::Started));
    // One checks out: only the other may open it now.
    f.store.check_out(shift, f.b, T0 + 2).expect("check out");
    assert_eq!(ids(&unlockers(&f.store, T0 + 3).expect("unlockers")), [f.a]);
    let e = lock::unlock(&mut f.store, &mut lock, f.b, PIN_B, T0 + 3).expect_err("checked out");
    assert!(matches!(e, UnlockError::NotAllowed { .. }), "{e:?}");
    lock::unlock(&mut f.store, &mut lock, f.a, PIN_A, T0 + 3).expect("a opens");
    assert_eq!(lock.reason(Some(T0), T0 + 3), None);
    // The shift is still open, with Aud on it.
    let open = f
        .store
        .open_shift()
        .expect("open shift")
        .expect("still open");
    assert_eq!(open.id, shift);
}

#[test]
fn five_wrong_pins_bring_the_wait_which_survives_a_restart() {
    let mut f = fixture();
    f.start_ab();
    let mut lock = Lock::new(POLICY, true, T0);
    for _ in 0..4 {
        let e = lock::unlock(&mut f.store, &mut lock, f.a, "000000", T0).expect_err("wrong");
        assert!(matches!(e, UnlockError::Store(StoreError::Pin(_))), "{e:?}");
    }
    let e = lock::unlock(&mut f.store, &mut lock, f.a, "000000", T0).expect_err("fifth");
    assert!(
        matches!(
            e,
            UnlockError::Store(StoreError::PinLocked { wait_secs: 30 })
        ),
        "{e:?}"
    );
    // A restart: a new store on the same file and a new lock, which starts locked.
    drop(std::mem::replace(
        &mut f.store,
        feltlogg_device::vault::open_file(&f.path).expect("reopen"),
    ));
    let mut lock = Lock::new(POLICY, true, T0 + 5_000);
    let e = lock::unlock(&mut f.store, &mut lock, f.a, PIN_A, T0 + 5_000).expect_err("waits");
    assert!(
        matches!(
            e,
            UnlockError::Store(StoreError::PinLocked { wait_secs: 25 })
        ),
        "{e:?}"
    );
    assert_eq!(lock.reason(Some(T0), T0 + 5_000), Some(LockReason::Started));
    // The partner's own allowance is untouched.
    lock::unlock(&mut f.store, &mut lock, f.b, PIN_B, T0 + 5_000).expect("b opens");
    assert_eq!(lock.reason(Some(T0), T0 + 5_000), None);
}

#[test]
fn a_phone_that_never_synced_counts_from_the_first_look() {
    let mut f = fixture();
    assert_eq!(last_contact(&mut f.store, T0).expect("contact"), Some(T0));
    assert_eq!(
        f.store
            .sync_fact(CONTACT_BASELINE)
            .expect("fact")
            .as_deref(),
        Some(T0.to_string().as_str())
    );
    // Asked again later, it keeps the first time.
    let later = T0 + 3 * DAY_MS;
    assert_eq!(
        last_contact(&mut f.store, later).expect("contact"),
        Some(T0)
    );
}

#[test]
fn no_contact_locks_refuses_every_pin_and_a_sync_lifts_it() {
    let mut f = fixture();
    f.store
        .set_sync_fact("last_success_ms", Some(&T0.to_string()))
        .expect("a sync at T0");
    let mut lock = Lock::new(POLICY, true, T0);
    let late = T0 + 14 * DAY_MS;
    let contact = last_contact(&mut f.store, late).expect("contact");
    assert_eq!(contact, Some(T0));
    assert_eq!(lock.reason(contact, late), Some(LockReason::NoContact));
    // No PIN opens it, and trying counts nothing against the worker.
    for _ in 0..6 {
        let e = lock::unlock(&mut f.store, &mut lock, f.a, "000000", late).expect_err("no contact");
        assert!(matches!(e, UnlockError::NoContact), "{e:?}");
    }
    // A successful sync (the sync client records its time) lifts it; the
    // PIN lock stays until a worker opens it, with no wait to serve.
    f.store
        .set_sync_fact("last_success_ms", Some(&late.to_string()))
        .expect("a sync now");
    let contact = last_contact(&mut f.store, late).expect("contact");
    assert_eq!(lock.reason(contact, late), Some(LockReason::Started));
    lock::unlock(&mut f.store, &mut lock, f.a, PIN_A, late).expect("opens");
    assert_eq!(lock.reason(contact, late), None);
}

#[test]
fn an_unenrolled_phone_has_nothing_to_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store =
        feltlogg_device::vault::open_file(&dir.path().join("feltlogg.db")).expect("open");
    assert_eq!(last_contact(&mut store, T0).expect("contact"), None);
    let mut lock = Lock::new(POLICY, true, T0);
    assert_eq!(lock.reason(None, T0 + 365 * DAY_MS), None);
}
