//! The background sync loop on tokio's paused clock: no test waits for
//! real. What it sleeps after each outcome, that a wake-up cuts a sleep
//! short, and a real sync client against a loopback port nobody answers
//! (backed off, the error remembered in the store).

use feltlogg_core::ids::{DeviceId, UnitId};
use feltlogg_core::sync::{DeviceKey, KeyId, SigningKey};
use feltlogg_device::store::Store;
use feltlogg_device::sync::background::{Schedule, run};
use feltlogg_device::sync::{ClientError, Credentials, SyncClient, SyncReport, status};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::{Instant, sleep};

type Outcome = Option<Result<SyncReport, ClientError>>;

/// When each sync ran (since the start), the loop running with `script`'s
/// outcomes in turn (then successes), woken by the returned `Notify`.
fn spawn_scripted(script: Vec<Outcome>) -> (Arc<Mutex<Vec<Duration>>>, Arc<Notify>) {
    let start = Instant::now();
    let runs = Arc::new(Mutex::new(Vec::new()));
    let wake = Arc::new(Notify::new());
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let (r, w) = (Arc::clone(&runs), Arc::clone(&wake));
    tokio::spawn(async move {
        run(&w, Schedule::default(), || {
            r.lock().expect("runs").push(start.elapsed());
            let next = script.lock().expect("script").pop_front();
            async move { next.unwrap_or_else(|| Some(Ok(SyncReport::default()))) }
        })
        .await
    });
    (runs, wake)
}

fn runs(r: &Mutex<Vec<Duration>>) -> Vec<Duration> {
    r.lock().expect("runs").clone()
}

fn unreachable() -> Outcome {
    Some(Err(ClientError::Unreachable {
        url: "http://127.0.0.1:9".into(),
    }))
}

const SEC: Duration = Duration::from_secs(1);

#[tokio::test(start_paused = true)]
async fn not_enrolled_it_sleeps_an_hour_unless_woken() {
    let (r, wake) = spawn_scripted(vec![None, None, None]);
    sleep(59 * 60 * SEC).await;
    assert_eq!(runs(&r).len(), 1, "asleep for the hour");
    sleep(2 * 60 * SEC).await;
    assert_eq!(runs(&r), vec![Duration::ZERO, 3600 * SEC]);
    // Enrolment wakes it: a sync after the debounce, not an hour later.
    wake.notify_one();
    sleep(SEC).await;
    let got = runs(&r);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[2], 61 * 60 * SEC + Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn trouble_backs_off_a_success_resets_and_a_permanent_error_waits() {
    let (r, _wake) = spawn_scripted(vec![
        unreachable(),
        unreachable(),
        unreachable(),
        unreachable(),
        Some(Ok(SyncReport::default())),
        unreachable(),
        Some(Err(ClientError::Revoked)),
    ]);
    sleep(3600 * SEC).await;
    let got = runs(&r);
    let gaps: Vec<Duration> = got.windows(2).map(|w| w[1] - w[0]).collect();
    // 1 s doubling, each between half and all of its step.
    for (i, step) in [1u32, 2, 4, 8].into_iter().enumerate() {
        assert!(
            gaps[i] >= SEC * step / 2 && gaps[i] <= SEC * step,
            "gap {i}: {gaps:?}"
        );
    }
    assert_eq!(gaps[4], 60 * SEC, "a minute after a success");
    assert!(gaps[5] <= SEC, "the back-off starts again: {gaps:?}");
    assert_eq!(gaps[6], 300 * SEC, "five minutes after a revoked device");
    assert_eq!(gaps[7], 60 * SEC, "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn a_wake_cuts_the_minute_after_a_success_short() {
    let (r, wake) = spawn_scripted(Vec::new());
    sleep(10 * SEC).await;
    wake.notify_one();
    sleep(SEC).await;
    assert_eq!(
        runs(&r),
        vec![Duration::ZERO, 10 * SEC + Duration::from_millis(300)]
    );
    // Not woken again: the next one a minute after.
    sleep(60 * SEC).await;
    assert_eq!(runs(&r).len(), 3);
}

/// An enrolled store and a real client for a server on a loopback port
/// that nobody listens on.
fn unanswered_client(dir: &std::path::Path) -> (Arc<Mutex<Store>>, Arc<SyncClient>) {
    let mut store = feltlogg_device::vault::open_file(&dir.join("feltlogg.db")).expect("open");
    let (device, unit) = (DeviceId::new(), UnitId::new());
    store.init_device(device, unit).expect("enrol");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (_, pkcs8) = SigningKey::generate().expect("device signing key");
    let (server, _) = SigningKey::generate().expect("server key");
    let creds = Credentials {
        server_url: format!("http://127.0.0.1:{port}"),
        device_id: device,
        unit_id: unit,
        key_id: KeyId(1),
        device_key: DeviceKey::generate().expect("device key"),
        signing_pkcs8: pkcs8,
        token: String::from("synthetic").into(),
        server_key: server.public_key(),
    };
    (
        Arc::new(Mutex::new(store)),
        Arc::new(SyncClient::new(creds).expect("client")),
    )
}

#[tokio::test(start_paused = true)]
async fn a_real_sync_that_finds_no_server_is_retried_with_back_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, client) = unanswered_client(dir.path());
    let start = Instant::now();
    let spans = Arc::new(Mutex::new(Vec::<(Duration, Duration)>::new()));
    let (s, c, sp) = (Arc::clone(&store), Arc::clone(&client), Arc::clone(&spans));
    let wake = Arc::new(Notify::new());
    let w = Arc::clone(&wake);
    tokio::spawn(async move {
        run(&w, Schedule::default(), || {
            let (s, c, sp) = (Arc::clone(&s), Arc::clone(&c), Arc::clone(&sp));
            async move {
                let began = start.elapsed();
                let out = c.sync_once(&s).await;
                sp.lock().expect("spans").push((began, start.elapsed()));
                Some(out)
            }
        })
        .await
    });
    sleep(40 * SEC).await;
    let spans = spans.lock().expect("spans").clone();
    assert!(spans.len() >= 4, "{spans:?}");
    // The wait from the end of one attempt to the start of the next grows.
    let gaps: Vec<Duration> = spans.windows(2).map(|w| w[1].0 - w[0].1).collect();
    for (i, step) in [1u32, 2, 4].into_iter().enumerate() {
        assert!(
            gaps[i] >= SEC * step / 2 && gaps[i] <= SEC * step,
            "gap {i}: {gaps:?}"
        );
    }
    let st = status(&store).expect("status");
    let err = st.last_error.expect("the error is remembered");
    assert!(err.contains("127.0.0.1"), "{err}");
    assert_eq!(st.last_success_ms, None);
}
