//! Uploaded images: checked by their content, stored under the data folder.

use std::path::Path;

use anyhow::Context as _;

use crate::error::ApiError;

/// Image types accepted, by what the bytes are, never by the file name or
/// the client's `Content-Type`.
const ACCEPTED: [(&str, &str); 4] = [
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
];

/// Stores an uploaded image and returns its name relative to the media folder.
///
/// # Errors
/// A field error on `image` when the bytes are not an accepted image; an
/// internal error when the file cannot be written.
pub async fn store_image(media_dir: &Path, bytes: &[u8]) -> Result<String, ApiError> {
    let kind = infer::get(bytes).map(|k| k.mime_type());
    let Some((_, extension)) = ACCEPTED.iter().find(|(mime, _)| Some(*mime) == kind) else {
        return Err(ApiError::field(
            "image",
            "Upload a valid image: PNG, JPEG, GIF or WebP.",
        ));
    };
    let name = format!("posts/{}.{extension}", uuid::Uuid::new_v4());
    let path = media_dir.join(&name);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .context("creating the media folder")?;
    }
    tokio::fs::write(&path, bytes)
        .await
        .context("writing the uploaded image")?;
    Ok(name)
}

/// Removes a stored image; a missing file is not an error.
pub async fn remove_image(media_dir: &Path, name: &str) {
    if name.contains("..") {
        return;
    }
    if let Err(error) = tokio::fs::remove_file(media_dir.join(name)).await {
        if error.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(error = %error, "image file not removed");
        }
    }
}
