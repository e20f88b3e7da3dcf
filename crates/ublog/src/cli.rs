//! The command line: `serve`, `migrate`, `createsuperuser`, `changepassword`, `check`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use secrecy::SecretString;

use crate::db::{Db, UserRow};
use crate::domain::Email;
use crate::settings::{Overrides, Settings};
use crate::{telemetry, App};

/// μblog: a micro-blog with every common way to authenticate.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Settings file (default: ./ublog.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Data folder: SQLite file, media, generated development secret.
    #[arg(long, global = true, value_name = "DIR", env = "UBLOG_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve {
        /// Listen address.
        #[arg(long, value_name = "ADDR", env = "UBLOG_BIND")]
        bind: Option<String>,
        /// Also serve the web client alone on this address, as a front end on
        /// another origin calling the API cross-origin (e.g. 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR", env = "UBLOG_FRONTEND_BIND")]
        frontend_bind: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Create an active staff user (password from UBLOG_PASSWORD or a prompt).
    Createsuperuser {
        /// The e-mail address to log in with.
        #[arg(long)]
        email: String,
    },
    /// Set a user's password (from UBLOG_PASSWORD or a prompt) and log them out everywhere.
    Changepassword {
        /// The user's e-mail address.
        email: String,
    },
    /// Deactivate a user and end every login of theirs.
    Deactivate {
        /// The user's e-mail address.
        email: String,
    },
    /// Validate the settings; with --deploy, also list what is unsafe for production.
    Check {
        /// Include production checks.
        #[arg(long)]
        deploy: bool,
    },
}

impl Cli {
    /// Runs the chosen command.
    ///
    /// # Errors
    /// Whatever stopped the command, with its context.
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        let (bind, frontend_bind) = match &self.command {
            Command::Serve {
                bind,
                frontend_bind,
            } => (bind.clone(), frontend_bind.clone()),
            _ => (None, None),
        };
        let settings = Settings::load(&Overrides {
            config_file: self.config,
            bind,
            data_dir: self.data_dir,
            frontend_bind,
        })?;
        telemetry::init(settings.log_format);
        match self.command {
            Command::Serve { .. } => serve(settings).await,
            Command::Migrate => {
                std::fs::create_dir_all(&settings.data_dir).context("creating the data folder")?;
                Db::connect(&settings.database_url())
                    .await?
                    .migrate()
                    .await?;
                println!("migrations applied");
                Ok(ExitCode::SUCCESS)
            }
            Command::Createsuperuser { email } => create_superuser(&settings, &email).await,
            Command::Changepassword { email } => change_password(&settings, &email).await,
            Command::Deactivate { email } => deactivate(&settings, &email).await,
            Command::Check { deploy } => Ok(check(&settings, deploy)),
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let app = App::build(settings).await?;
    // The one line scripts wait for.
    match app.web_address() {
        None => println!("μblog listening on http://{}", app.address()),
        Some(web) => println!(
            "μblog listening on http://{} (web client on http://{web})",
            app.address()
        ),
    }
    tracing::info!(address = %app.address(), "server ready");
    app.serve().await?;
    Ok(ExitCode::SUCCESS)
}

async fn open_db(settings: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&settings.data_dir).context("creating the data folder")?;
    let db = Db::connect(&settings.database_url()).await?;
    db.migrate().await?;
    Ok(db)
}

/// A new password from `UBLOG_PASSWORD` or a prompt, checked against the policy.
fn read_password(prompt: &str, email: &str) -> anyhow::Result<SecretString> {
    let password = match std::env::var("UBLOG_PASSWORD") {
        Ok(password) => password,
        Err(_) => rpassword::prompt_password(prompt).context("reading the password")?,
    };
    if let Err(problems) = auth::password::PasswordPolicy::default().check(&password, &[email]) {
        anyhow::bail!("password refused: {}", problems.join(" "));
    }
    Ok(SecretString::from(password))
}

fn hasher(settings: &Settings) -> auth::password::PasswordHasher {
    auth::password::PasswordHasher::with_params(
        1,
        settings.password_hash_memory_kib,
        settings.password_hash_iterations,
        1,
    )
}

async fn create_superuser(settings: &Settings, email: &str) -> anyhow::Result<ExitCode> {
    let email =
        Email::parse("email", email).map_err(|_| anyhow::anyhow!("not a valid e-mail address"))?;
    let password = read_password("Password: ", email.as_str())?;
    let db = open_db(settings).await?;
    let hash = hasher(settings).hash(password).await?;
    match db
        .users()
        .create_active(email.as_str(), &hash, true)
        .await?
    {
        Some(id) => {
            println!("superuser {id} created");
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("a user with this e-mail already exists"),
    }
}

/// The database, and the user with this e-mail.
async fn open_user(settings: &Settings, email: &str) -> anyhow::Result<(Db, UserRow)> {
    let db = open_db(settings).await?;
    let user = db
        .users()
        .find_by_email(email)
        .await?
        .context("no user with this e-mail")?;
    Ok((db, user))
}

async fn change_password(settings: &Settings, email: &str) -> anyhow::Result<ExitCode> {
    let (db, user) = open_user(settings, email).await?;
    let password = read_password("New password: ", &user.email)?;
    let hash = hasher(settings).hash(password).await?;
    let until = revocation_until();
    db.users()
        .set_password_revoking_logins(user.id, &hash, None, until)
        .await?;
    println!("password changed; every login of the user has ended");
    Ok(ExitCode::SUCCESS)
}

async fn deactivate(settings: &Settings, email: &str) -> anyhow::Result<ExitCode> {
    let (db, user) = open_user(settings, email).await?;
    let revoked = db.users().deactivate(user.id, revocation_until()).await?;
    println!("user deactivated; {} login(s) ended", revoked.len());
    Ok(ExitCode::SUCCESS)
}

/// How long revocations made from the command line are remembered: longer
/// than any access token lifetime a server may be configured with today.
// TODO: on SQLite a running server hears of command-line revocations only at its next start.
fn revocation_until() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc() + time::Duration::days(1)
}

fn check(settings: &Settings, deploy: bool) -> ExitCode {
    let mut findings = settings.problems();
    if deploy {
        findings.extend(settings.deploy_warnings());
    }
    if findings.is_empty() {
        println!("no issues found");
        return ExitCode::SUCCESS;
    }
    for finding in &findings {
        println!("- {finding}");
    }
    println!("{} issue(s) found", findings.len());
    ExitCode::FAILURE
}
