//! Malformed bodies never panic the server: ~1,000 random and mutated
//! bodies, each answered with a 4xx, and the server still answers
//! `/healthz`, over a real socket too.

use crate::util::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use feltlogg_core::record::RecordKind;
use feltlogg_server::{AppState, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("fits")
    }
}

fn mutate(rng: &mut Rng, good: &[u8]) -> Vec<u8> {
    let mut b = good.to_vec();
    match rng.below(6) {
        0 => (0..rng.below(400)).map(|_| rng.next() as u8).collect(),
        1 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            b
        }
        2 => b[..rng.below(b.len())].to_vec(),
        3 => {
            b.extend((0..=rng.below(64)).map(|_| rng.next() as u8));
            b
        }
        4 => {
            // Keep the header, garble the rest.
            for x in b.iter_mut().skip(82) {
                *x = rng.next() as u8;
            }
            b
        }
        _ => {
            // A header naming another seq.
            b[30 + rng.below(8)] ^= (rng.next() as u8) | 1;
            b
        }
    }
}

#[tokio::test]
async fn a_thousand_malformed_bodies_get_4xx_and_the_server_keeps_answering() {
    let env = Env::new();
    let mut phone = env.enrol().await;
    let (_, _, changes) = started_shift(&env, &mut phone);
    let good = phone.seal(1, changes);
    let mut rng = Rng(0x5eed_f00d_cafe_beef);
    for i in 0..1_000 {
        let body = mutate(&mut rng, &good);
        let (status, resp) = env.push(&phone, body).await;
        assert!(
            status.is_client_error(),
            "case {i}: {status} {}",
            String::from_utf8_lossy(&resp)
        );
        let v = json(&resp);
        assert!(
            v["code"].is_string() && v["message"].is_string(),
            "case {i}: {v}"
        );
    }
    let (status, body) = env
        .send(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, b"ok".as_slice())
    );
    assert_eq!(env.count(RecordKind::Encounter), 0, "no mutant applied");
    let (status, _) = env.push(&phone, good).await;
    assert_eq!(status, StatusCode::OK, "the genuine batch still applies");
}

#[tokio::test]
async fn serves_on_a_real_socket_and_shuts_down() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = AppState::open(&dir.path().join("f.db")).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    for path in ["/healthz", "/api/v1/nowhere"] {
        let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let req = format!("GET {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
        conn.write_all(req.as_bytes()).await.expect("write");
        let mut resp = String::new();
        conn.read_to_string(&mut resp).await.expect("read");
        match path {
            "/healthz" => assert!(
                resp.starts_with("HTTP/1.1 200") && resp.ends_with("ok"),
                "{resp}"
            ),
            _ => assert!(
                resp.starts_with("HTTP/1.1 404") && resp.contains("\"code\":\"not_found\""),
                "{resp}"
            ),
        }
    }
    stop.send(()).expect("stop");
    server.await.expect("join").expect("served");
}

#[tokio::test]
async fn a_body_over_8_mib_is_413() {
    let env = Env::new();
    let phone = env.enrol().await;
    let (status, body) = env.push(&phone, vec![0u8; 9 * 1024 * 1024]).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into())
    );
}
