//! JSON Web Tokens in simplejwt's shape: signing keys, claims, minting and
//! strict decoding.
//!
//! HS256 with a key derived from the application secret by default; EdDSA
//! (Ed25519) or RS256 with a private key, whose public half, and the public
//! halves of retired keys, are published as a JWKS document so that other
//! services can verify access tokens. A token's `kid` is looked up in this
//! key set only.

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;

use crate::error::AuthError;
use crate::identity::{LoginId, UserId};

/// Longest token accepted; anything longer is refused before parsing.
const MAX_TOKEN_LEN: usize = 4096;

/// The signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtAlgorithm {
    /// HMAC-SHA256 with a key derived from the application secret.
    Hs256,
    /// Ed25519 with a configured private key; public keys at the JWKS endpoint.
    EdDsa,
    /// RSA PKCS#1 v1.5 with SHA-256 and a configured private key; public keys
    /// at the JWKS endpoint.
    Rs256,
}

/// Lifetimes, claims and keys of JWTs.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// The signing algorithm.
    pub algorithm: JwtAlgorithm,
    /// PEM of the signing key (EdDSA: PKCS#8; RS256: PKCS#1 or PKCS#8).
    pub private_key_pem: Option<String>,
    /// SPKI PEMs of retired public keys that still verify (EdDSA, RS256).
    pub previous_public_keys_pem: Vec<String>,
    /// Lifetime of an access token (simplejwt's `ACCESS_TOKEN_LIFETIME`).
    pub access_lifetime: Duration,
    /// Lifetime of one refresh token (simplejwt's `REFRESH_TOKEN_LIFETIME`).
    pub refresh_lifetime: Duration,
    /// Absolute lifetime of a refresh family from its login; rotation does not extend it.
    pub family_lifetime: Duration,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway: Duration,
    /// `iss` to set and require.
    pub issuer: Option<String>,
    /// `aud` to set and require.
    pub audience: Option<String>,
    /// Issue a new refresh token at each refresh (simplejwt's `ROTATE_REFRESH_TOKENS`).
    pub rotate_refresh_tokens: bool,
    /// How long after a rotation a racing client presenting the previous
    /// refresh token gets the same successor instead of a family revocation.
    pub reuse_grace: Duration,
}

/// `token_type` of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    /// Sent as `Authorization: Bearer`.
    Access,
    /// Exchanged for new tokens.
    Refresh,
}

/// The claims of μblog's tokens: simplejwt's, plus the login (`sid`) and,
/// for refresh tokens, the family generation (`gen`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// `access` or `refresh`.
    pub token_type: TokenType,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issue time, Unix seconds.
    pub iat: i64,
    /// Token id.
    pub jti: String,
    /// The user.
    pub user_id: i64,
    /// The login (refresh family) the token belongs to.
    pub sid: i64,
    /// Refresh generation within the family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gen: Option<i64>,
    /// Issuer, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

impl Claims {
    /// The user.
    pub fn user(&self) -> UserId {
        UserId(self.user_id)
    }

    /// The login.
    pub fn login(&self) -> LoginId {
        LoginId(self.sid)
    }
}

/// Mints and checks tokens.
pub struct Jwt {
    config: JwtConfig,
    algorithm: Algorithm,
    encoding: EncodingKey,
    current_kid: Option<String>,
    decoding: HashMap<Option<String>, DecodingKey>,
    jwks: serde_json::Value,
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwt")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Jwt {
    /// Loads the keys.
    ///
    /// # Errors
    /// A missing or unreadable key, described for the operator.
    pub fn new(config: JwtConfig, secret: &[u8]) -> Result<Self, String> {
        match config.algorithm {
            JwtAlgorithm::Hs256 => {
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
                mac.update(b"ublog-auth jwt key");
                let key = mac.finalize().into_bytes();
                let unusable =
                    |e: jsonwebtoken::errors::Error| format!("the JWT key is unusable: {e}");
                let mut decoding = HashMap::new();
                decoding.insert(None, DecodingKey::from_secret(&key).map_err(unusable)?);
                Ok(Self {
                    config,
                    algorithm: Algorithm::HS256,
                    encoding: EncodingKey::from_secret(&key).map_err(unusable)?,
                    current_kid: None,
                    decoding,
                    jwks: serde_json::json!({ "keys": [] }),
                })
            }
            JwtAlgorithm::EdDsa | JwtAlgorithm::Rs256 => Self::asymmetric(config),
        }
    }

    /// EdDSA or RS256: the current key signs; it and the retired keys verify,
    /// each under its own `kid`, and all are published.
    fn asymmetric(config: JwtConfig) -> Result<Self, String> {
        let algorithm = match config.algorithm {
            JwtAlgorithm::Rs256 => Algorithm::RS256,
            _ => Algorithm::EdDSA,
        };
        let private = config
            .private_key_pem
            .as_deref()
            .ok_or("EdDSA and RS256 need a private key (jwt_private_key_file)")?;
        let encoding = match algorithm {
            Algorithm::RS256 => EncodingKey::from_rsa_pem(private.as_bytes()),
            _ => EncodingKey::from_ed_pem(private.as_bytes()),
        }
        .map_err(|e| format!("the JWT private key is unreadable: {e}"))?;
        let current = jsonwebtoken::jwk::Jwk::from_encoding_key(&encoding, algorithm)
            .map_err(|e| format!("the JWT public key cannot be derived: {e}"))?;
        let mut public_keys = vec![PublicKey::from_jwk(&current.algorithm)?];
        for pem in &config.previous_public_keys_pem {
            public_keys.push(PublicKey::from_pem(pem, algorithm)?);
        }

        let mut decoding = HashMap::new();
        let mut jwks = Vec::new();
        for key in &public_keys {
            let kid = key.kid();
            decoding.insert(Some(kid.clone()), key.decoding_key()?);
            jwks.push(key.jwk(&kid));
        }
        Ok(Self {
            current_kid: Some(public_keys[0].kid()),
            config,
            algorithm,
            encoding,
            decoding,
            jwks: serde_json::json!({ "keys": jwks }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &JwtConfig {
        &self.config
    }

    /// The public keys as a JWKS document (empty for HS256).
    pub fn jwks(&self) -> &serde_json::Value {
        &self.jwks
    }

    /// A new access token for a login.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when signing fails.
    pub fn mint_access(&self, user: UserId, login: LoginId) -> Result<String, AuthError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = self.claims(
            TokenType::Access,
            user,
            login,
            None,
            now,
            now + secs(self.config.access_lifetime),
        );
        self.sign(&claims, uuid_like())
    }

    /// The refresh token of generation `gen` of a family.
    ///
    /// Every input comes from the family's stored state, so the same
    /// generation always yields the same token: a client racing itself within
    /// the grace period receives the successor it already has.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when signing fails.
    pub fn mint_refresh(
        &self,
        user: UserId,
        login: LoginId,
        gen: i64,
        rotated_at: OffsetDateTime,
        family_expires_at: OffsetDateTime,
    ) -> Result<String, AuthError> {
        let iat = rotated_at.unix_timestamp();
        let exp =
            (iat + secs(self.config.refresh_lifetime)).min(family_expires_at.unix_timestamp());
        let claims = self.claims(TokenType::Refresh, user, login, Some(gen), iat, exp);
        let jti = hex(&Sha256::digest(format!("refresh|{}|{gen}", login.0).as_bytes())[..16]);
        self.sign(&claims, jti)
    }

    fn claims(
        &self,
        token_type: TokenType,
        user: UserId,
        login: LoginId,
        gen: Option<i64>,
        iat: i64,
        exp: i64,
    ) -> Claims {
        Claims {
            token_type,
            exp,
            iat,
            jti: String::new(),
            user_id: user.0,
            sid: login.0,
            gen,
            iss: self.config.issuer.clone(),
            aud: self.config.audience.clone(),
        }
    }

    fn sign(&self, claims: &Claims, jti: String) -> Result<String, AuthError> {
        let mut header = Header::new(self.algorithm);
        header.kid.clone_from(&self.current_kid);
        let claims = Claims {
            jti,
            ..claims.clone()
        };
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(e.into()))
    }

    /// Decodes and checks a token: size, algorithm, key id, signature, expiry
    /// (with leeway), issuer, audience, claim types, and `token_type` when
    /// `expected` is given.
    ///
    /// # Errors
    /// [`AuthError::TokenInvalid`] for every kind of bad token.
    pub fn decode(&self, token: &str, expected: Option<TokenType>) -> Result<Claims, AuthError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(AuthError::TokenInvalid);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::TokenInvalid)?;
        // The algorithm is ours to choose, never the token's (no `none`, no HS/RS confusion).
        if header.alg != self.algorithm {
            return Err(AuthError::TokenInvalid);
        }
        let key = self
            .decoding
            .get(&header.kid)
            .ok_or(AuthError::TokenInvalid)?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation()).map_err(|e| {
            tracing::debug!(error = %e, "token refused");
            AuthError::TokenInvalid
        })?;
        if expected.is_some_and(|t| t != data.claims.token_type) {
            tracing::debug!("token of the wrong type");
            return Err(AuthError::TokenInvalid);
        }
        Ok(data.claims)
    }

    fn validation(&self) -> Validation {
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = self.config.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iat"]);
        match &self.config.issuer {
            Some(issuer) => validation.set_issuer(&[issuer]),
            None => validation.iss = None,
        }
        match &self.config.audience {
            Some(audience) => validation.set_audience(&[audience]),
            None => validation.validate_aud = false,
        }
        validation
    }
}

/// A verifying key, with what the JWKS document shows of it (base64url).
enum PublicKey {
    Ed25519 { x: String },
    Rsa { n: String, e: String },
}

impl PublicKey {
    fn from_jwk(params: &jsonwebtoken::jwk::AlgorithmParameters) -> Result<Self, String> {
        use jsonwebtoken::jwk::AlgorithmParameters;
        match params {
            AlgorithmParameters::OctetKeyPair(okp) => Ok(Self::Ed25519 { x: okp.x.clone() }),
            AlgorithmParameters::RSA(rsa) => Ok(Self::Rsa {
                n: rsa.n.clone(),
                e: rsa.e.clone(),
            }),
            _ => Err("the signing key is neither Ed25519 nor RSA".to_owned()),
        }
    }

    /// Reads a retired key: an SPKI ("PUBLIC KEY") PEM of the configured kind.
    fn from_pem(pem: &str, algorithm: Algorithm) -> Result<Self, String> {
        // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte header and the 32-byte key.
        const ED25519_HEADER: [u8; 12] = [
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD
            .decode(body.trim())
            .map_err(|_| "a previous public key is not PEM".to_owned())?;
        if algorithm == Algorithm::RS256 {
            use rsa::pkcs8::DecodePublicKey as _;
            use rsa::traits::PublicKeyParts as _;
            let key = rsa::PublicKey::from_public_key_der(&der)
                .map_err(|_| "a previous public key is not an RSA public key".to_owned())?;
            return Ok(Self::Rsa {
                n: URL_SAFE_NO_PAD.encode(key.n_bytes()),
                e: URL_SAFE_NO_PAD.encode(key.e_bytes()),
            });
        }
        if der.len() != 44 || der[..12] != ED25519_HEADER {
            return Err("a previous public key is not an Ed25519 public key".to_owned());
        }
        Ok(Self::Ed25519 {
            x: URL_SAFE_NO_PAD.encode(&der[12..]),
        })
    }

    /// A short stable id: the start of the SHA-256 of the public material.
    fn kid(&self) -> String {
        let material = match self {
            Self::Ed25519 { x } => x.clone(),
            Self::Rsa { n, e } => format!("{n}.{e}"),
        };
        URL_SAFE_NO_PAD.encode(&Sha256::digest(material.as_bytes())[..12])
    }

    fn decoding_key(&self) -> Result<DecodingKey, String> {
        match self {
            Self::Ed25519 { x } => DecodingKey::from_ed_components(x),
            Self::Rsa { n, e } => DecodingKey::from_rsa_components(n, e),
        }
        .map_err(|e| format!("a JWT public key is unreadable: {e}"))
    }

    fn jwk(&self, kid: &str) -> serde_json::Value {
        match self {
            Self::Ed25519 { x } => serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig",
            }),
            Self::Rsa { n, e } => serde_json::json!({
                "kty": "RSA", "n": n, "e": e, "kid": kid, "alg": "RS256", "use": "sig",
            }),
        }
    }
}

fn uuid_like() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)
}
