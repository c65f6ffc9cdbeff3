//! `feltlogg-server`: the command line. Thin: parses settings (defaults,
//! then `FELTLOGG_*` environment, then flags), calls the library, prints
//! results. Secrets are never printed, except the one-time enrolment code.
//! Every command that changes or takes out data needs `--by NAME`, the
//! operator the audit log names (not `$USER`: on a server that is often
//! `root` or a service account, which names nobody).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use feltlogg_core::Role;
use feltlogg_core::ids::ShiftId;
use feltlogg_core::time::now_ms;
use feltlogg_server::AppState;
use feltlogg_server::admin::{self, UserSpec};
use feltlogg_server::config::{
    AuthConfig, DEFAULT_BIND, DEFAULT_DB, MunicipalityConfig, ServerConfig, parse_suppress_below,
};
use feltlogg_server::db::Db;
use feltlogg_server::db::audit::Actor;
use feltlogg_server::review::decide::{Verdict, decide_shift};
use std::io::BufRead as _;

/// The `export` command's two halves (published tables, the totals file).
mod cli_export;
use cli_export::{export, export_totals};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "feltlogg-server",
    version,
    about = "Feltlogg's sync server and admin CLI"
)]
struct Cli {
    /// The SQLite database file (created and migrated on first use).
    #[arg(long, global = true, env = "FELTLOGG_DB", default_value = DEFAULT_DB)]
    db: PathBuf,
    /// Fix the small-number threshold (2-1000) of every export and the
    /// dashboard's figures; without it the dashboard's setting applies
    /// (default 5).
    #[arg(long, global = true, env = "FELTLOGG_SUPPRESS_BELOW", value_parser = parse_suppress_below)]
    suppress_below: Option<u64>,
    /// Who runs this command, as the audit log names them (your name or
    /// username). Required by every command that changes or takes out
    /// data; for `shift approve|return`, the deciding team lead's or
    /// admin's username (or user id).
    #[arg(long, global = true)]
    by: Option<String>,
    /// Whose totals the national totals file holds.
    #[command(flatten)]
    municipality: MunicipalityConfig,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FELTLOGG_BIND", default_value = DEFAULT_BIND)]
        bind: SocketAddr,
        /// Dashboard sign-in: public URL, passwords, OpenID Connect.
        #[command(flatten)]
        auth: AuthConfig,
    },
    /// Create the first admin (password from FELTLOGG_ADMIN_PASSWORD or stdin).
    Init {
        /// The admin's username.
        #[arg(long)]
        username: String,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage units.
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Approve or return a closed shift (what the dashboard does), as a team lead or admin.
    #[command(subcommand)]
    Shift(ShiftCommand),
    /// Fill a FRESH database with a year of synthetic demo data and print
    /// the demo sign-ins (demo passwords and PINs) and an enrolment code.
    Demo {
        /// Seed: the same seed makes the same records.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Days before today to fill (1-365; fewer make a smaller demo).
        #[arg(long, default_value_t = feltlogg_server::demo::YEAR_DAYS, value_parser = clap::value_parser!(u32).range(1..=365))]
        days: u32,
    },
    /// Write the totals of a period per bydel, small numbers suppressed
    /// (the same files the dashboard serves), or the signed, unsuppressed
    /// totals file for the national body (`--format totals`).
    Export {
        /// 2026 (year), 2026-Q3 (quarter), 2026-07 (month), 2026-YTD-08
        /// (January to August) or 2026-07-01..2026-09-30 (dates,
        /// inclusive), Oslo time.
        #[arg(long)]
        period: String,
        /// xlsx, csv (RFC 4180), csv-excel (UTF-8 BOM, `;`, decimal comma),
        /// or totals: the signed JSON file of unsuppressed counts for the
        /// national body only (every unit; never publish it).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: ExportFormat,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Only this unit's shifts (id or name); default all units.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Print the server's public signing key (base64), for the national
    /// body to pin before it reads this server's totals files.
    PublicKey,
    /// Copy the database while the server is serving (SQLite's online
    /// backup), check the copy, and say what else to keep.
    Backup {
        /// The copy to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup in place of a lost or damaged database (server
    /// stopped); refuses a newer database or a copy under another key.
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: PathBuf,
    },
    /// Make a one-time enrolment code for a unit and print it.
    EnrolCode {
        /// Unit id or name.
        #[arg(long)]
        unit: String,
        /// Minutes until the code expires.
        #[arg(long, default_value_t = 60)]
        ttl_minutes: u32,
    },
    /// Make one-time feedback cards for a unit and write the page to print
    /// (A4, eight a page). The codes are in that file only and stored
    /// hashed: print it, then delete it.
    FeedbackCards {
        /// Unit id or name.
        #[arg(long)]
        unit: String,
        /// How many cards (1-200).
        #[arg(long, default_value_t = 16)]
        count: u32,
        /// The HTML file to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Months the cards work (1-12).
        #[arg(long, default_value_t = 6)]
        valid_months: u32,
        /// The address the cards point at, as phones reach the server
        /// (the same as `serve --public-url`); default the local demo's.
        #[arg(long, env = "FELTLOGG_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Run today's anonymity screen over the free text already stored and
    /// list what it flags (record kind, id, field, finding, character
    /// span; never the text). Redact from the dashboard's /review/screen.
    ScanNotes {
        /// Only this unit's texts (id or name); default all units.
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user.
    Add {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Name shown on screens (first name or initials).
        #[arg(long)]
        display_name: String,
        /// Role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Unit id or name (required for workers and team leads).
        #[arg(long)]
        unit: Option<String>,
        /// The worker's 6-digit PIN.
        #[arg(long)]
        pin: Option<String>,
        /// Set a password (from FELTLOGG_USER_PASSWORD or stdin).
        #[arg(long)]
        password: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ShiftCommand {
    /// Approve a closed shift: it becomes final.
    Approve {
        /// The shift id.
        #[arg(long)]
        shift: ShiftId,
    },
    /// Return a closed shift for correction, saying what to correct.
    Return {
        /// The shift id.
        #[arg(long)]
        shift: ShiftId,
        /// What to correct (required).
        #[arg(long)]
        comment: String,
    },
}

#[derive(Debug, Subcommand)]
enum UnitCommand {
    /// Add a unit; prints its id.
    Add {
        /// Unit name, e.g. "Utekontakten Grünerløkka".
        #[arg(long)]
        name: String,
        /// Area code (SSB), e.g. 030102.
        #[arg(long)]
        bydel: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormat {
    Xlsx,
    Csv,
    CsvExcel,
    Totals,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "snake_case")]
enum RoleArg {
    Worker,
    TeamLead,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Worker => Role::Worker,
            RoleArg::TeamLead => Role::TeamLead,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// The operator `--by` names.
fn operator(by: Option<&str>) -> Result<Actor> {
    match by.map(str::trim) {
        Some(name) if !name.is_empty() => Ok(Actor::operator(name)),
        _ => bail!(
            "name who runs this with --by NAME (your name or username); it goes into the audit log"
        ),
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let by = cli.by.as_deref();
    // The demo pushes hundreds of batches: log only warnings unless asked.
    let default_level = match cli.command {
        Command::Demo { .. } => "warn",
        _ => "info",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_level.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Serve { bind, auth } => serve(ServerConfig {
            db: cli.db,
            bind,
            auth,
            suppress_below: cli.suppress_below,
            municipality: cli.municipality.municipality(),
        }),
        Command::Init { username } => {
            let by = operator(by)?;
            let password = secret("FELTLOGG_ADMIN_PASSWORD", "admin password")?;
            let db = open(&cli.db)?;
            let id =
                db.write_blocking(|tx| admin::init_admin(tx, &by, &username, &password, now_ms()))?;
            println!("admin {username} created (id {id})");
            Ok(())
        }
        Command::User(UserCommand::Add {
            username,
            display_name,
            role,
            unit,
            pin,
            password,
        }) => {
            let by = operator(by)?;
            let password = if password {
                Some(secret("FELTLOGG_USER_PASSWORD", "password")?)
            } else {
                None
            };
            let spec = UserSpec {
                username,
                display_name,
                role: role.into(),
                unit,
                pin,
                password,
            };
            let db = open(&cli.db)?;
            let id = db.write_blocking(|tx| admin::add_user(tx, &by, &spec, now_ms()))?;
            println!("{id}");
            Ok(())
        }
        Command::Unit(UnitCommand::Add { name, bydel }) => {
            let by = operator(by)?;
            let db = open(&cli.db)?;
            let unit = db.write_blocking(|tx| admin::add_unit(tx, &by, &name, &bydel, now_ms()))?;
            println!("{}", unit.id);
            Ok(())
        }
        Command::Shift(cmd) => decide(&cli.db, &operator(by)?, cmd),
        Command::Demo { seed, days } => demo(&cli.db, seed, days),
        Command::Export {
            period,
            format: ExportFormat::Totals,
            out,
            unit,
        } => {
            if unit.is_some() {
                bail!(
                    "a totals file always counts every unit of the server; leave out --unit for --format totals"
                );
            }
            export_totals(&cli.db, &operator(by)?, &period, &out, &cli.municipality)
        }
        Command::PublicKey => {
            let db = open(&cli.db)?;
            let key = db.read_blocking(|c| feltlogg_server::db::server_key::load(c))?;
            println!("{}", key.public_key().to_base64());
            Ok(())
        }
        Command::Export {
            period,
            format,
            out,
            unit,
        } => export(
            &cli.db,
            &operator(by)?,
            &period,
            format,
            &out,
            unit.as_deref(),
            cli.suppress_below,
        ),
        Command::Backup { out } => backup(&cli.db, &operator(by)?, &out),
        Command::Restore { from } => restore(&cli.db, &operator(by)?, &from),
        Command::EnrolCode { unit, ttl_minutes } => {
            let by = operator(by)?;
            let db = open(&cli.db)?;
            let made = db.write_blocking(|tx| {
                admin::make_enrol_code(tx, &by, &unit, ttl_minutes, now_ms())
            })?;
            println!("{}", made.code);
            Ok(())
        }
        Command::ScanNotes { unit } => scan_notes(&cli.db, unit.as_deref()),
        Command::FeedbackCards {
            unit,
            count,
            out,
            valid_months,
            public_url,
        } => {
            let by = operator(by)?;
            let url = public_url.unwrap_or_else(|| {
                let local = format!("http://{DEFAULT_BIND}");
                eprintln!("note: the cards point at {local}, which only this machine reaches; set --public-url or FELTLOGG_PUBLIC_URL to the address phones use");
                local
            });
            let cards = Cards {
                unit: &unit,
                count,
                months: valid_months,
            };
            feedback_cards(&cli.db, &by, &cards, &url, &out)
        }
    }
}

/// What `feedback-cards` prints.
struct Cards<'a> {
    unit: &'a str,
    count: u32,
    months: u32,
}

fn feedback_cards(
    path: &std::path::Path,
    by: &Actor,
    cards: &Cards<'_>,
    public_url: &str,
    out: &std::path::Path,
) -> Result<()> {
    let Cards {
        unit,
        count,
        months,
    } = *cards;
    use feltlogg_server::feedback::{Printer, print_cards};
    use feltlogg_server::web::feedback::cards;
    let lower = public_url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        bail!(
            "public url {public_url:?} is not an http(s) address; give the address phones reach, e.g. https://feltlogg.example.kommune.no"
        );
    }
    // Opened before the codes exist, so a refused file leaves none stored.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .with_context(|| format!("cannot create {} (it must not exist yet)", out.display()))?;
    let db = open(path)?;
    let printer = Printer {
        user: None,
        name: &by.name,
    };
    let printed =
        match db.write_blocking(|tx| print_cards(tx, printer, unit, count, months, now_ms())) {
            Ok(p) => p,
            Err(e) => {
                // Nothing was stored: leave no empty file behind either.
                drop(file);
                let _ = std::fs::remove_file(out);
                return Err(e.into());
            }
        };
    let frame = cards::Frame {
        title: format!("Tilbakemeldingskort – {}", printed.unit.name),
        lines: vec![
            maud::html! { "Skriv ut siden (Ctrl+P) og slett filen etterpå: kodene finnes bare her." },
        ],
    };
    let page = cards::document(&printed, public_url, &frame, "nb", cards::Style::Inline)
        .map_err(anyhow::Error::msg)?;
    std::io::Write::write_all(&mut file, page.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} cards for {} to {} (valid {months} months); print it, then delete the file",
        printed.codes.len(),
        printed.unit.name,
        out.display()
    );
    Ok(())
}

fn scan_notes(path: &std::path::Path, unit: Option<&str>) -> Result<()> {
    use feltlogg_server::review::screen_scan;
    let db = open(path)?;
    let flagged = db.read_blocking(|c| -> Result<_> {
        let units = match unit {
            Some(u) => Some(vec![admin::find_unit(c, u)?.id]),
            None => None,
        };
        Ok(screen_scan::scan(c, units.as_deref())?)
    })?;
    for line in screen_scan::report_lines(&flagged) {
        println!("{line}");
    }
    println!("{} stored texts flagged", flagged.len());
    Ok(())
}

fn demo(path: &std::path::Path, seed: u64, days: u32) -> Result<()> {
    let db = open(path)?;
    let started = std::time::Instant::now();
    let opts = feltlogg_server::demo::DemoOptions {
        seed,
        now_ms: now_ms(),
        days,
    };
    let report = db.with(|c| feltlogg_server::demo::fill(c, &opts))?;
    println!(
        "demo data in {} ({:.1} s): {} shifts approved, {} closed (waiting for review), {} returned; {} encounters, {} referrals, {} refused changes",
        path.display(),
        started.elapsed().as_secs_f64(),
        report.approved,
        report.closed,
        report.returned,
        report.encounters,
        report.referrals,
        report.refused
    );
    println!(
        "{} youth feedback answers on printed cards (/feedback)",
        report.feedback_answers
    );
    println!("\nDemo sign-ins (demo secrets: never use them for real data):");
    for s in &report.sign_ins {
        let unit = s.unit.as_deref().unwrap_or("alle enheter");
        let kind = if s.role == Role::Worker {
            "PIN"
        } else {
            "password"
        };
        println!(
            "  {:<9} {:<32} {:<26} {kind} {}  ({})",
            s.role.as_str(),
            unit,
            s.username,
            s.secret,
            s.display_name
        );
    }
    println!(
        "\nEnrolment code for {} (one use, 24 hours): {}",
        report.enrol_unit, report.enrol_code
    );
    Ok(())
}

fn backup(db: &std::path::Path, by: &Actor, out: &std::path::Path) -> Result<()> {
    let r = feltlogg_server::backup::backup_by(db, out, by, now_ms())?;
    println!(
        "backup of {} written to {} ({} bytes, log up to change {}); integrity check: ok",
        db.display(),
        r.copy.display(),
        r.bytes,
        r.log_end
    );
    println!(
        "also keep {} (the server's signing key, left out of the database on purpose): without it, enrolled phones will not trust a restored server",
        r.key_file.display()
    );
    Ok(())
}

fn restore(db: &std::path::Path, by: &Actor, from: &std::path::Path) -> Result<()> {
    let r = feltlogg_server::backup::restore(db, from, &by.name, now_ms())?;
    if let Some(aside) = &r.moved_aside {
        println!("the database that was there is kept as {}", aside.display());
    }
    if !r.key_checked {
        println!(
            "note: {} predates recorded server keys; its key was not checked",
            from.display()
        );
    }
    println!(
        "restored {} from {} (log up to change {}), new epoch {}; start the server: phones re-send what it lacks",
        db.display(),
        from.display(),
        r.log_end,
        r.epoch
    );
    Ok(())
}

fn decide(db: &std::path::Path, by: &Actor, cmd: ShiftCommand) -> Result<()> {
    let (shift, verdict) = match cmd {
        ShiftCommand::Approve { shift } => (shift, Verdict::Approve),
        ShiftCommand::Return { shift, comment } => (shift, Verdict::Return { comment }),
    };
    let db = open(db)?;
    let signed = db.write_blocking(|tx| {
        let key = feltlogg_server::db::server_key::load(tx).map_err(anyhow::Error::from)?;
        let user = admin::find_user(tx, &by.name)?;
        decide_shift(tx, &key, shift, verdict, user, now_ms()).map_err(anyhow::Error::from)
    })?;
    println!("shift {shift} is now {}", signed.decision.status);
    Ok(())
}

fn open(path: &std::path::Path) -> Result<Db> {
    Db::open(path).with_context(|| format!("cannot open database {}", path.display()))
}

/// A secret from `var`, else one line from stdin (a prompt goes to stderr).
fn secret(var: &str, what: &str) -> Result<String> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    eprint!("{what} (or set {var}): ");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read from stdin")?;
    let value = line.trim_end_matches(['\r', '\n']).to_owned();
    if value.is_empty() {
        bail!("no {what} given; set {var} or type it on stdin");
    }
    Ok(value)
}

fn serve(config: ServerConfig) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let mut state = AppState::open(&config.db)
            .with_context(|| format!("cannot open database {}", config.db.display()))?
            .with_auth(config.auth.clone())
            .map_err(anyhow::Error::msg)?;
        state.suppress_below = config.suppress_below;
        state.municipality = std::sync::Arc::new(config.municipality.clone());
        let listener = feltlogg_server::listen(config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        tracing::info!(addr = %listener.local_addr()?, db = %config.db.display(), "serving");
        feltlogg_server::serve(listener, state, shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Completes on Ctrl-C (or SIGTERM on Unix).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
