//! Settings: defaults here, then `FELTLOGG_*` environment variables, then
//! command-line flags (clap's `env` feature applies that order in
//! `main.rs`). Secrets are never part of the printed configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Default database file.
pub const DEFAULT_DB: &str = "./feltlogg.db";
/// Default listen address: loopback only; put a TLS proxy in front.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Default municipality: Oslo (SSB kommunenummer 0301), the first user.
pub const DEFAULT_MUNICIPALITY_NUMBER: &str = "0301";
/// Default municipality name.
pub const DEFAULT_MUNICIPALITY_NAME: &str = "Oslo";
/// Largest request body accepted (a sealed batch of ~1,000 changes is far
/// smaller); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What `serve` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// The SQLite file (created and migrated on first start).
    pub db: PathBuf,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Dashboard sign-in settings.
    pub auth: AuthConfig,
    /// The small-number threshold fixed by the operator; `None` leaves it to
    /// the dashboard's setting (default [`crate::export::DEFAULT_THRESHOLD`]).
    pub suppress_below: Option<u64>,
    /// Whose totals this server's national totals file holds.
    pub municipality: Municipality,
}

pub use feltlogg_export::totals_file::Municipality;

/// The municipality settings (global flags, or `FELTLOGG_MUNICIPALITY_*`):
/// they name this server's totals file for the national body.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct MunicipalityConfig {
    /// The municipality's SSB kommunenummer (four digits; Oslo 0301).
    #[arg(long, global = true, env = "FELTLOGG_MUNICIPALITY_NUMBER", default_value = DEFAULT_MUNICIPALITY_NUMBER, value_parser = parse_municipality_number)]
    pub municipality_number: String,
    /// The municipality's name.
    #[arg(long, global = true, env = "FELTLOGG_MUNICIPALITY_NAME", default_value = DEFAULT_MUNICIPALITY_NAME)]
    pub municipality_name: String,
    /// Only when a municipality runs several servers (one per bydel or
    /// cluster of units): the part this server covers, e.g. "Øst". Each
    /// part's totals file is then pinned and counted on its own.
    #[arg(
        long,
        global = true,
        env = "FELTLOGG_MUNICIPALITY_PART",
        default_value = ""
    )]
    pub municipality_part: String,
}

impl MunicipalityConfig {
    /// The municipality these settings name.
    pub fn municipality(&self) -> Municipality {
        Municipality {
            number: self.municipality_number.clone(),
            name: self.municipality_name.trim().to_owned(),
            part: self.municipality_part.trim().to_owned(),
        }
    }
}

/// Oslo, the default.
pub fn default_municipality() -> Municipality {
    Municipality {
        number: DEFAULT_MUNICIPALITY_NUMBER.to_owned(),
        name: DEFAULT_MUNICIPALITY_NAME.to_owned(),
        part: String::new(),
    }
}

/// Reads `--municipality-number` / `FELTLOGG_MUNICIPALITY_NUMBER`.
///
/// # Errors
/// The problem, naming the value: SSB kommunenummer are four digits.
pub fn parse_municipality_number(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "municipality number {text:?} is not an SSB kommunenummer; give its four digits, e.g. 0301 for Oslo"
        ))
    }
}

/// Reads `--suppress-below` / `FELTLOGG_SUPPRESS_BELOW`.
///
/// # Errors
/// The problem, naming the value and the range to give.
pub fn parse_suppress_below(text: &str) -> Result<u64, String> {
    crate::export::parse_threshold(text).map_err(|e| e.to_string())
}

/// Dashboard sign-in settings (`serve`'s flags, or `FELTLOGG_*`).
#[derive(Clone, PartialEq, Eq, clap::Args)]
pub struct AuthConfig {
    /// The dashboard's address as browsers reach it, e.g.
    /// https://feltlogg.example.kommune.no. With `https` cookies are marked
    /// Secure and HSTS is sent; over plain http (the local demo) they are not.
    #[arg(long, env = "FELTLOGG_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Whether team leads and admins may sign in with a local password
    /// (`false`: OpenID Connect only).
    #[arg(long, env = "FELTLOGG_PASSWORD_LOGIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub password_login: bool,
    /// The OpenID provider's issuer URL (its discovery document lives
    /// under it); sign-in with the provider is offered when this, the
    /// client id and the public URL are set.
    #[arg(long, env = "FELTLOGG_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client id registered at the provider.
    #[arg(long, env = "FELTLOGG_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret registered at the provider.
    #[arg(long, env = "FELTLOGG_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            password_login: true,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    // The client secret stays out of printed configuration and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("public_url", &self.public_url)
            .field("password_login", &self.password_login)
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .finish_non_exhaustive()
    }
}

impl AuthConfig {
    /// Whether browsers reach the dashboard over https (Secure cookies, HSTS).
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
    }
}

impl AuthConfig {
    /// Whether sign-in through the OpenID provider is configured.
    pub fn oidc_enabled(&self) -> bool {
        self.oidc_issuer.is_some() && self.oidc_client_id.is_some()
    }

    /// Refuses settings under which the dashboard would be unusable or
    /// unsafe, naming the setting to change.
    ///
    /// # Errors
    /// The problem, in words.
    pub fn check(&self) -> Result<(), String> {
        if let Some(u) = &self.public_url {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                return Err(format!(
                    "public url {u:?} is not an http(s) address; set FELTLOGG_PUBLIC_URL to e.g. https://feltlogg.example.no"
                ));
            }
        }
        if self.oidc_issuer.is_some() != self.oidc_client_id.is_some() {
            return Err(
                "OpenID Connect needs both FELTLOGG_OIDC_ISSUER and FELTLOGG_OIDC_CLIENT_ID".into(),
            );
        }
        if self.oidc_enabled() && self.public_url.is_none() {
            return Err(
                "OpenID Connect needs FELTLOGG_PUBLIC_URL (the provider sends people back to it)"
                    .into(),
            );
        }
        if !self.password_login && !self.oidc_enabled() {
            return Err("password sign-in is switched off but no OpenID provider is set: nobody could sign in; set FELTLOGG_OIDC_ISSUER and FELTLOGG_OIDC_CLIENT_ID or FELTLOGG_PASSWORD_LOGIN=true".into());
        }
        Ok(())
    }
}
