//! The texts of the messages μblog sends.

/// A message ready to address.
#[derive(Debug)]
pub struct Letter {
    /// A constant name for logs (never the content: it holds links).
    pub kind: &'static str,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

impl Letter {
    /// Asks a new user to verify the address.
    pub fn verify_email(link: &str, hours: u64) -> Self {
        Self {
            kind: "verify_email",
            subject: "Activate your μblog account".to_owned(),
            body: format!(
                "Welcome to μblog!\n\nOpen this link to activate your account:\n\n{link}\n\n\
                 The link works once and expires in {hours} hours. If you did not sign up, \
                 ignore this message.\n"
            ),
        }
    }

    /// Tells an existing user that someone tried to register their address.
    pub fn already_registered(login_link: &str, reset_link: &str) -> Self {
        Self {
            kind: "already_registered",
            subject: "Your μblog account".to_owned(),
            body: format!(
                "Someone, perhaps you, tried to create a μblog account with this address, \
                 which already has one.\n\nLog in: {login_link}\nForgot your password? {reset_link}\n\n\
                 If it was not you, nothing has changed.\n"
            ),
        }
    }

    /// Sends a password reset link.
    pub fn reset_password(link: &str, minutes: u64) -> Self {
        Self {
            kind: "reset_password",
            subject: "Reset your μblog password".to_owned(),
            body: format!(
                "Open this link to choose a new password:\n\n{link}\n\n\
                 The link works once and expires in {minutes} minutes. Every device \
                 logged in to your account will be logged out. If you did not ask for \
                 this, ignore this message.\n"
            ),
        }
    }
}
