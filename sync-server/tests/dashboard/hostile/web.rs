//! The HTTP side of the hostile-strings test: a client on the served
//! fixture that follows no redirect, and form bodies.

use super::Page;
use crate::util::Served;
use feltlogg_server::web::html::url_encode;

pub(super) fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(super) fn csrf_of(html: &str) -> String {
    let Some(at) = html.find("name=\"csrf\" value=\"") else {
        return String::new();
    };
    html[at + 19..].split('"').next().unwrap_or("").to_owned()
}

/// A response: the page, and the cookies it set (`a=b; c=d`).
pub(super) struct Answer {
    pub page: Page,
    pub cookie: Option<String>,
}

/// An HTTP client on the served fixture; redirects are not followed.
pub(super) struct Web {
    base: String,
    client: reqwest::Client,
}

impl Web {
    pub fn new(served: &Served) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base: served.base.clone(),
            client,
        }
    }

    pub async fn get(&self, session: Option<&(String, String)>, path: &str) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some((token, _)) = session {
            req = req.header("cookie", format!("fl_session={token}"));
        }
        Self::answer(format!("GET {path}"), req).await.page
    }

    pub async fn post(
        &self,
        session: Option<&(String, String)>,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut all = fields.to_vec();
        let cookie = session.map(|(token, csrf)| {
            all.push(("csrf", csrf.as_str()));
            format!("fl_session={token}")
        });
        self.send_raw("POST", path, cookie.as_deref(), form(&all))
            .await
            .page
    }

    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: String,
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        Self::answer(format!("{method} {path}"), req).await
    }

    async fn answer(what: String, req: reqwest::RequestBuilder) -> Answer {
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let cookies: Vec<&str> = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect();
        let cookie = (!cookies.is_empty()).then(|| cookies.join("; "));
        let body = resp.text().await.expect("body");
        Answer {
            page: (what, status, body),
            cookie,
        }
    }
}
