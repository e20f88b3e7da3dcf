//! Every way a bearer token can be wrong is refused with a 401 and a challenge.

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};

use ublog::settings::JwtAlgorithmSetting;

use crate::helpers::{ed25519_key_pair, rsa_key_pair, spawn_app_with, spawn_eddsa_app};

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn sign(key_pem: &std::path::Path, kid: Option<&str>, claims: &Value) -> String {
    let pem = std::fs::read(key_pem).unwrap();
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_pem(&pem).unwrap()).unwrap()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

fn header_of(token: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn every_kind_of_bad_bearer_token_is_a_401_with_a_challenge() {
    let (app, key) = spawn_eddsa_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;
    let good = pair["access"].as_str().unwrap().to_owned();
    let kid = header_of(&good)["kid"].as_str().unwrap().to_owned();
    let sid = {
        let payload = good.split('.').nth(1).unwrap();
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims["sid"].clone()
    };
    let claims = |extra: Value| {
        let mut base = json!({
            "token_type": "access", "exp": now() + 300, "iat": now(), "jti": "x",
            "user_id": user.id, "sid": sid,
        });
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base
    };
    let parts: Vec<&str> = good.split('.').collect();
    let (other_key, _) = ed25519_key_pair(&tempfile::tempdir().unwrap().keep(), "other");
    let hs256_with_public_key = {
        let jwks: Value = app.get("/api/auth/jwks.json").await.json().await.unwrap();
        let x = jwks["keys"][0]["x"].as_str().unwrap().to_owned();
        let header = Header {
            kid: Some(kid.clone()),
            ..Header::new(Algorithm::HS256)
        };
        jsonwebtoken::encode(
            &header,
            &claims(json!({})),
            &EncodingKey::from_secret(x.as_bytes()).unwrap(),
        )
        .unwrap()
    };

    let cases: Vec<(&str, String)> = vec![
        (
            "a token we signed ourselves is accepted (control)",
            sign(&key, Some(&kid), &claims(json!({}))),
        ),
        (
            "refresh token used as access",
            pair["refresh"].as_str().unwrap().to_owned(),
        ),
        (
            "expired",
            sign(&key, Some(&kid), &claims(json!({ "exp": now() - 10 }))),
        ),
        (
            "not yet valid",
            sign(&key, Some(&kid), &claims(json!({ "nbf": now() + 600 }))),
        ),
        (
            "signed with another key",
            sign(&other_key, Some(&kid), &claims(json!({}))),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({ "alg": "none", "typ": "JWT" })),
                parts[1]
            ),
        ),
        ("HS256 keyed with the public key", hs256_with_public_key),
        (
            "altered header",
            format!(
                "{}.{}.{}",
                b64(&json!({ "alg": "EdDSA", "typ": "JWT", "kid": kid, "x": 1 })),
                parts[1],
                parts[2]
            ),
        ),
        (
            "altered payload",
            format!(
                "{}.{}.{}",
                parts[0],
                b64(&claims(json!({ "user_id": user.id + 1 }))),
                parts[2]
            ),
        ),
        ("truncated", good[..good.len() - 10].to_owned()),
        ("oversized", format!("{good}{}", "A".repeat(5000))),
        (
            "unknown kid",
            sign(&key, Some("not-our-key"), &claims(json!({}))),
        ),
        ("no kid", sign(&key, None, &claims(json!({})))),
        (
            "exp as a string",
            sign(
                &key,
                Some(&kid),
                &claims(json!({ "exp": (now() - 10).to_string() })),
            ),
        ),
        (
            "user_id as a string",
            sign(
                &key,
                Some(&kid),
                &claims(json!({ "user_id": user.id.to_string() })),
            ),
        ),
        ("missing exp", {
            let mut c = claims(json!({}));
            c.as_object_mut().unwrap().remove("exp");
            sign(&key, Some(&kid), &c)
        }),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in cases {
        let response = app
            .with_auth(reqwest::Method::GET, "/api/profile/", "Bearer", &token)
            .await;

        if name.ends_with("(control)") {
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            continue;
        }
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
        let challenge = response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(
            challenge.is_some_and(|c| c.starts_with("Bearer")),
            "{name}: challenge"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "token_not_valid", "{name}");
    }
}

#[tokio::test]
async fn a_revoked_login_refuses_even_a_perfectly_signed_token() {
    let (app, _key) = spawn_eddsa_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    app.post(
        "/api/token/blacklist/",
        &json!({ "refresh": pair["refresh"] }),
    )
    .await;

    assert_eq!(
        app.profile_with_bearer(pair["access"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn eddsa_access_tokens_verify_in_python_with_the_published_key() {
    let (app, _key) = spawn_eddsa_app().await;

    verifies_in_python(&app, "EdDSA").await;
}

#[tokio::test]
async fn rs256_access_tokens_verify_in_python_with_the_published_key() {
    let keys = tempfile::tempdir().unwrap().keep();
    let (private, _) = rsa_key_pair(&keys, "rsa");
    let app = spawn_app_with(|s| {
        s.jwt_algorithm = ublog::settings::JwtAlgorithmSetting::RS256;
        s.jwt_private_key_file = Some(private);
    })
    .await;

    verifies_in_python(&app, "RS256").await;
}

async fn verifies_in_python(app: &crate::helpers::TestApp, algorithm: &str) {
    let user = app.active_user().await;
    let access = app.obtain_pair(&user).await["access"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks: Value = app.get("/api/auth/jwks.json").await.json().await.unwrap();

    let script = r#"
import json, sys, jwt
jwks, token = json.loads(sys.stdin.readline()), sys.stdin.readline().strip()
kid = jwt.get_unverified_header(token)["kid"]
key = next(k for k in jwks["keys"] if k["kid"] == kid)
claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=[key["alg"]])
print(claims["user_id"], claims["token_type"])
"#;
    let mut python = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with PyJWT (pip install pyjwt cryptography)");
    writeln!(python.stdin.take().unwrap(), "{jwks}\n{access}").unwrap();
    let output = python.wait_with_output().unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("{} access", user.id)
    );
    assert_eq!(header_of(&access)["alg"], algorithm);
}

#[tokio::test]
async fn after_an_ed25519_key_rotation_old_tokens_verify_until_they_expire() {
    old_tokens_verify_after_rotation(JwtAlgorithmSetting::EdDSA, ed25519_key_pair).await;
}

#[tokio::test]
async fn after_an_rsa_key_rotation_old_tokens_verify_until_they_expire() {
    old_tokens_verify_after_rotation(JwtAlgorithmSetting::RS256, rsa_key_pair).await;
}

/// Signs with an old key, restarts with a new key and the old public key as
/// retired: tokens of both verify, both are published, and the process that
/// knows only the old key refuses the new tokens.
async fn old_tokens_verify_after_rotation(
    algorithm: JwtAlgorithmSetting,
    key_pair: fn(&std::path::Path, &str) -> (std::path::PathBuf, std::path::PathBuf),
) {
    let keys = tempfile::tempdir().unwrap().keep();
    let (old_private, old_public) = key_pair(&keys, "old");
    let (new_private, _) = key_pair(&keys, "new");
    let old_app = spawn_app_with(|s| {
        s.jwt_algorithm = algorithm;
        s.jwt_private_key_file = Some(old_private.clone());
    })
    .await;
    let user = old_app.active_user().await;
    let old_pair = old_app.obtain_pair(&user).await;
    let mut rotated = old_app.settings.clone();
    rotated.jwt_private_key_file = Some(new_private);
    rotated.jwt_previous_public_key_files = vec![old_public];

    let new_app = crate::helpers::spawn_same_data(&old_app, rotated).await;
    let new_pair = new_app.obtain_pair(&user).await;
    let jwks: Value = new_app
        .get("/api/auth/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let refreshed = new_app.refresh(&old_pair["refresh"]).await;

    let (old_access, new_access) = (
        old_pair["access"].as_str().unwrap(),
        new_pair["access"].as_str().unwrap(),
    );
    assert_eq!(
        new_app.profile_with_bearer(old_access).await,
        StatusCode::OK
    );
    assert_eq!(
        new_app.profile_with_bearer(new_access).await,
        StatusCode::OK
    );
    assert_ne!(header_of(old_access)["kid"], header_of(new_access)["kid"]);
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(refreshed.status(), StatusCode::OK);
    assert_eq!(
        old_app.profile_with_bearer(new_access).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn hs256_publishes_no_keys() {
    let app = crate::helpers::spawn_app().await;

    let jwks: Value = app.get("/api/auth/jwks.json").await.json().await.unwrap();

    assert_eq!(jwks, json!({ "keys": [] }));
}

#[tokio::test]
async fn a_configured_issuer_and_audience_are_set_and_required() {
    let keys = tempfile::tempdir().unwrap().keep();
    let (private, _) = ed25519_key_pair(&keys, "signing");
    let app = spawn_app_with(|s| {
        s.jwt_algorithm = ublog::settings::JwtAlgorithmSetting::EdDSA;
        s.jwt_private_key_file = Some(private.clone());
        s.jwt_issuer = Some("https://ublog.example".to_owned());
        s.jwt_audience = Some("ublog-api".to_owned());
    })
    .await;
    let user = app.active_user().await;
    let access = app.obtain_pair(&user).await["access"]
        .as_str()
        .unwrap()
        .to_owned();
    let kid = header_of(&access)["kid"].as_str().unwrap().to_owned();
    let payload: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(access.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let forged = |iss: &str, aud: &str| {
        let mut claims = payload.clone();
        claims["iss"] = json!(iss);
        claims["aud"] = json!(aud);
        sign(&private, Some(&kid), &claims)
    };

    assert_eq!(payload["iss"], "https://ublog.example");
    assert_eq!(payload["aud"], "ublog-api");
    assert_eq!(app.profile_with_bearer(&access).await, StatusCode::OK);
    assert_eq!(
        app.profile_with_bearer(&forged("https://other.example", "ublog-api"))
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.profile_with_bearer(&forged("https://ublog.example", "another-api"))
            .await,
        StatusCode::UNAUTHORIZED
    );
}
