//! Outgoing e-mail, through the back end chosen by `UBLOG_EMAIL_BACKEND`.

mod templates;

use std::path::PathBuf;

use anyhow::Context as _;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use secrecy::ExposeSecret as _;

pub use templates::Letter;

use crate::settings::{EmailBackend, Settings};

/// Where messages go.
enum Delivery {
    Console,
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends e-mail. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    delivery: std::sync::Arc<Delivery>,
}

impl Mailer {
    /// The mailer the settings ask for.
    ///
    /// # Errors
    /// A bad sender address, SMTP URL, or an unwritable e-mail folder.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .email_from
            .parse()
            .context("email_from is not a valid mailbox")?;
        let delivery = match settings.email_backend {
            EmailBackend::Console => Delivery::Console,
            EmailBackend::File => {
                let dir = settings
                    .email_dir
                    .clone()
                    .context("email_dir is required")?;
                std::fs::create_dir_all(&dir).context("creating the e-mail folder")?;
                Delivery::File(dir)
            }
            EmailBackend::Smtp => {
                let url = settings.smtp_url.as_ref().context("smtp_url is required")?;
                // lettre reads plain, STARTTLS (`?tls=required`) and TLS (`smtps://`) from the URL.
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("smtp_url is not a valid SMTP URL")?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build();
                Delivery::Smtp(transport)
            }
        };
        Ok(Self {
            from,
            delivery: std::sync::Arc::new(delivery),
        })
    }

    /// Sends `letter` to `to`.
    ///
    /// # Errors
    /// An invalid recipient or a delivery failure.
    pub async fn send(&self, to: &str, letter: Letter) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient is not a valid address")?)
            .subject(letter.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(eight_bit(&letter.body)?)
            .context("building the message")?;
        match &*self.delivery {
            Delivery::Console => {
                // The development back end shows the message itself, like Django's
                // console back end; `ublog check --deploy` warns against it.
                let text = String::from_utf8_lossy(&message.formatted()).into_owned();
                println!("----- e-mail -----\n{text}\n------------------");
            }
            Delivery::File(dir) => {
                let path = dir.join(format!("{}.eml", uuid::Uuid::new_v4()));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .context("writing the message file")?;
            }
            Delivery::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .context("delivering over SMTP")?;
            }
        }
        tracing::info!(kind = letter.kind, "e-mail sent");
        Ok(())
    }

    /// Sends in the background: the response does not wait for, or reveal,
    /// the delivery. Failures are logged.
    pub fn send_later(&self, to: String, letter: Letter) {
        let mailer = self.clone();
        tokio::spawn(async move {
            if let Err(error) = mailer.send(&to, letter).await {
                tracing::error!(error = format!("{error:#}"), "e-mail not sent");
            }
        });
    }
}

/// 8-bit bodies keep links on one line in the console, in files and in mail
/// clients; lettre would pick quoted-printable for lines over 76 characters
/// and split the links. SMTP's real limit is 998 octets a line.
fn eight_bit(text: &str) -> anyhow::Result<Body> {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf.split("\r\n").any(|line| line.len() > 998) || crlf.contains('\0') {
        anyhow::bail!("an e-mail line is longer than SMTP allows");
    }
    Ok(Body::dangerous_pre_encoded(
        crlf.into_bytes(),
        ContentTransferEncoding::EightBit,
    ))
}
