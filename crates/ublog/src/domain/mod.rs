//! Validated values of the μblog domain.

mod email;
mod names;
mod page;
mod post_body;

pub use email::Email;
pub use names::PersonName;
pub use page::{Page, PageQuery};
pub use post_body::PostBody;
