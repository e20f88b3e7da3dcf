//! Builds the application from settings and serves it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use auth::authenticator::AuthenticatorKind;
use auth::cookies::CookieSettings;
use auth::jwt::{JwtAlgorithm, JwtConfig};
use auth::password::{PasswordHasher, PasswordPolicy};
use auth::rate_limit::LoginThrottle;
use auth::session::SessionConfig;
use auth::{AuthConfig, AuthState};
use axum_extra::extract::cookie::SameSite;
use secrecy::ExposeSecret as _;
use tokio::net::TcpListener;

use crate::db::{Backend, Db};
use crate::invalidation;
use crate::mail::Mailer;
use crate::routes;
use crate::settings::{JwtAlgorithmSetting, SameSitePolicy, Settings};
use crate::state::AppState;

/// A built application bound to its address, ready to serve.
pub struct App {
    listener: TcpListener,
    router: axum::Router,
    address: SocketAddr,
    web: Option<WebSite>,
}

/// The browser client served on an origin of its own (`--frontend-bind`).
struct WebSite {
    listener: TcpListener,
    router: axum::Router,
    address: SocketAddr,
}

impl App {
    /// Prepares the data folder, connects and migrates the database, and binds.
    ///
    /// # Errors
    /// Anything that stops start-up, with its context.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        std::fs::create_dir_all(settings.media_dir()).context("creating the data folder")?;
        let listener = bind(&settings.bind).await?;
        let address = listener.local_addr().context("reading the bound address")?;
        let web_listener = match settings.frontend_bind.clone() {
            Some(bind_to) => Some(bind(&bind_to).await?),
            None => None,
        };
        if let Some(web) = &web_listener {
            // The split deployment in one command: the site's origin becomes
            // an allowed CORS origin and the home of e-mailed links.
            let origin = format!(
                "http://{}",
                web.local_addr().context("reading the bound address")?
            );
            settings.cors_allowed_origins.push(origin.clone());
            settings.frontend_url.get_or_insert(origin);
        }

        let acquire_timeout = Duration::from_secs(settings.database_acquire_timeout.max(1));
        let db = Db::connect_with(&settings.database_url(), acquire_timeout).await?;
        db.migrate().await?;
        db.spawn_purge();
        let state = build_state(db, settings)?;
        if state.db.backend() == Backend::Postgres {
            invalidation::start(state.settings.database_url(), state.auth.clone()).await?;
        }
        state
            .auth
            .load_revocations()
            .await
            .context("loading revoked logins")?;

        let web = match web_listener {
            Some(listener) => Some(WebSite {
                address: listener.local_addr().context("reading the bound address")?,
                router: routes::web_site(&state.settings, &format!("http://{address}")),
                listener,
            }),
            None => None,
        };
        Ok(Self {
            listener,
            router: routes::router(state),
            address,
            web,
        })
    }

    /// The address of the separately served web client, if any.
    pub fn web_address(&self) -> Option<SocketAddr> {
        self.web.as_ref().map(|w| w.address)
    }

    /// The address the server listens on (useful with port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until the process receives Ctrl-C or SIGTERM.
    ///
    /// # Errors
    /// A failure of the listener.
    pub async fn serve(self) -> anyhow::Result<()> {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let api = axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal());
        match self.web {
            None => api.await.context("serving HTTP"),
            Some(web) => {
                let site =
                    axum::serve(web.listener, web.router).with_graceful_shutdown(shutdown_signal());
                let (api, site) = tokio::join!(api, site);
                api.context("serving the API")?;
                site.context("serving the web client")
            }
        }
    }
}

fn build_state(db: Db, settings: Settings) -> anyhow::Result<AppState> {
    let secret = settings.signing_secret()?;
    let mailer = Mailer::from_settings(&settings)?;
    let cookie = |name: &str, http_only: bool| CookieSettings {
        name: name.to_owned(),
        secure: settings.cookie_secure(),
        same_site: same_site(settings.cookie_samesite),
        domain: settings.cookie_domain.clone(),
        path: "/".to_owned(),
        http_only,
        prefixed: settings.is_production(),
    };
    // Sent only to the endpoints that use it, never with ordinary API calls.
    let refresh_cookie = CookieSettings {
        path: "/api/auth/jwt/token/".to_owned(),
        same_site: same_site(settings.refresh_cookie_samesite),
        ..cookie(&settings.refresh_cookie_name, true)
    };
    let authenticators = settings
        .authenticators
        .iter()
        .filter_map(|name| AuthenticatorKind::parse(name))
        .collect();
    let concurrency = settings.password_hash_concurrency.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let config = AuthConfig {
        secret: secret.expose_secret().as_bytes().to_vec(),
        authenticators,
        jwt: jwt_config(&settings)?,
        refresh_cookie,
        access_cookie: settings.jwt_access_cookie.then(|| cookie("access", true)),
        session: SessionConfig {
            cookie: cookie(&settings.session_cookie_name, true),
            idle_timeout: Duration::from_secs(settings.session_idle_timeout),
            absolute_timeout: Duration::from_secs(settings.session_cookie_age),
        },
        csrf_cookie: cookie(&settings.csrf_cookie_name, false),
        trusted_origins: settings.trusted_origins(),
        hasher: PasswordHasher::with_params(
            concurrency,
            settings.password_hash_memory_kib,
            settings.password_hash_iterations,
            1,
        ),
        policy: PasswordPolicy::default(),
    };
    let store = Arc::new(db.clone());
    let auth = AuthState::new(config, store.clone(), store).map_err(|e| anyhow::anyhow!(e))?;
    let throttle = LoginThrottle::new(
        Arc::new(db.clone()),
        settings.login_failure_limit,
        Duration::from_secs(settings.login_failure_window),
    );
    Ok(AppState {
        db,
        auth,
        throttle,
        mailer,
        settings: Arc::new(settings),
    })
}

async fn bind(address: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .with_context(|| format!("binding {address}"))
}

fn same_site(policy: SameSitePolicy) -> SameSite {
    match policy {
        SameSitePolicy::Strict => SameSite::Strict,
        SameSitePolicy::Lax => SameSite::Lax,
        SameSitePolicy::None => SameSite::None,
    }
}

fn jwt_config(settings: &Settings) -> anyhow::Result<JwtConfig> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .with_context(|| format!("reading the key file {}", path.display()))
    };
    let private_key_pem = settings
        .jwt_private_key_file
        .as_deref()
        .map(read)
        .transpose()?;
    let previous_public_keys_pem = settings
        .jwt_previous_public_key_files
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<_>>()?;
    Ok(JwtConfig {
        algorithm: match settings.jwt_algorithm {
            JwtAlgorithmSetting::HS256 => JwtAlgorithm::Hs256,
            JwtAlgorithmSetting::EdDSA => JwtAlgorithm::EdDsa,
            JwtAlgorithmSetting::RS256 => JwtAlgorithm::Rs256,
        },
        private_key_pem,
        previous_public_keys_pem,
        access_lifetime: Duration::from_secs(settings.access_token_lifetime),
        refresh_lifetime: Duration::from_secs(settings.refresh_token_lifetime),
        family_lifetime: Duration::from_secs(settings.refresh_family_lifetime),
        leeway: Duration::from_secs(settings.jwt_leeway),
        issuer: settings.jwt_issuer.clone(),
        audience: settings.jwt_audience.clone(),
        rotate_refresh_tokens: settings.rotate_refresh_tokens,
        reuse_grace: Duration::from_secs(settings.refresh_reuse_grace),
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
