//! The `posts` and `likes` tables.

use auth::UserId;
use sqlx::any::AnyRow;

use super::{column, unix_now, Db};

/// A post with its author and likes, as seen by one viewer.
#[derive(Debug, Clone)]
pub struct PostRow {
    /// Primary key.
    pub id: i64,
    /// The text.
    pub body: String,
    /// Last change (creation counts).
    pub modified_on: i64,
    /// Stored file name of the image, under the media folder.
    pub image: Option<String>,
    /// The author's id.
    pub author_id: UserId,
    /// The author's e-mail.
    pub author_email: String,
    /// The author's given name.
    pub author_first_name: String,
    /// The author's family name.
    pub author_last_name: String,
    /// How many users like the post.
    pub like_count: i64,
    /// Whether the viewer likes it.
    pub liked: bool,
}

impl PostRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: column(row, "id")?,
            body: column(row, "body")?,
            modified_on: column(row, "modified_on")?,
            image: column(row, "image")?,
            author_id: UserId(column(row, "author_id")?),
            author_email: column(row, "author_email")?,
            author_first_name: column(row, "author_first_name")?,
            author_last_name: column(row, "author_last_name")?,
            like_count: column(row, "like_count")?,
            liked: column::<i64>(row, "liked")? > 0,
        })
    }
}

/// `$1` is the viewer (or -1 for nobody); the caller appends its WHERE/ORDER.
const SELECT_POSTS: &str = r"
    SELECT p.id, p.body, p.modified_on, p.image,
           u.id AS author_id, u.email AS author_email,
           u.first_name AS author_first_name, u.last_name AS author_last_name,
           (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS like_count,
           (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id AND l.user_id = $1) AS liked
    FROM posts p
    JOIN users u ON u.id = p.created_by
";

fn viewer_id(viewer: Option<UserId>) -> i64 {
    viewer.map_or(-1, |v| v.0)
}

/// Queries on posts and likes.
pub struct Posts<'a> {
    pub(super) db: &'a Db,
}

impl Posts<'_> {
    /// A page of posts, newest first, and the total count.
    pub async fn list(
        &self,
        viewer: Option<UserId>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PostRow>, i64), sqlx::Error> {
        let sql = format!("{SELECT_POSTS} ORDER BY p.id DESC LIMIT $2 OFFSET $3");
        let rows = sqlx::query(&sql)
            .bind(viewer_id(viewer))
            .bind(limit)
            .bind(offset)
            .fetch_all(self.db.pool())
            .await?;
        let count = sqlx::query("SELECT COUNT(*) AS n FROM posts")
            .fetch_one(self.db.pool())
            .await?;
        let posts = rows
            .iter()
            .map(PostRow::from_row)
            .collect::<Result<_, _>>()?;
        Ok((posts, column(&count, "n")?))
    }

    /// One post.
    pub async fn find(
        &self,
        id: i64,
        viewer: Option<UserId>,
    ) -> Result<Option<PostRow>, sqlx::Error> {
        let sql = format!("{SELECT_POSTS} WHERE p.id = $2");
        let row = sqlx::query(&sql)
            .bind(viewer_id(viewer))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.as_ref().map(PostRow::from_row).transpose()
    }

    /// The author of a post, `None` when it does not exist.
    pub async fn author_of(&self, id: i64) -> Result<Option<UserId>, sqlx::Error> {
        let row = sqlx::query("SELECT created_by FROM posts WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(|r| column(&r, "created_by").map(UserId))
            .transpose()
    }

    /// Creates a post and returns its id.
    pub async fn insert(
        &self,
        author: UserId,
        body: &str,
        image: Option<&str>,
    ) -> Result<i64, sqlx::Error> {
        let now = unix_now();
        let row = sqlx::query(
            r"
            INSERT INTO posts (body, created_by, created_on, modified_on, image)
            VALUES ($1, $2, $3, $3, $4)
            RETURNING id
            ",
        )
        .bind(body)
        .bind(author.0)
        .bind(now)
        .bind(image)
        .fetch_one(self.db.pool())
        .await?;
        column(&row, "id")
    }

    /// Replaces the text of a post by its author. False when nothing matched.
    pub async fn update_body(
        &self,
        id: i64,
        author: UserId,
        body: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE posts SET body = $3, modified_on = $4 WHERE id = $1 AND created_by = $2",
        )
        .bind(id)
        .bind(author.0)
        .bind(body)
        .bind(unix_now())
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a post by its author and returns its image, if any; `None` when
    /// nothing matched.
    pub async fn delete(
        &self,
        id: i64,
        author: UserId,
    ) -> Result<Option<Option<String>>, sqlx::Error> {
        let row =
            sqlx::query("DELETE FROM posts WHERE id = $1 AND created_by = $2 RETURNING image")
                .bind(id)
                .bind(author.0)
                .fetch_optional(self.db.pool())
                .await?;
        row.map(|r| column(&r, "image")).transpose()
    }

    /// Likes the post, or unlikes it when already liked.
    ///
    /// Each step is one statement guarded by the primary key, so concurrent
    /// toggles never make two rows and the count, read from the rows, stays right.
    pub async fn toggle_like(&self, post: i64, user: UserId) -> Result<(), sqlx::Error> {
        let inserted = sqlx::query(
            r"
            INSERT INTO likes (user_id, post_id, created_at)
            VALUES ($1, $2, $3)
            ON CONFLICT (user_id, post_id) DO NOTHING
            ",
        )
        .bind(user.0)
        .bind(post)
        .bind(unix_now())
        .execute(self.db.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            sqlx::query("DELETE FROM likes WHERE user_id = $1 AND post_id = $2")
                .bind(user.0)
                .bind(post)
                .execute(self.db.pool())
                .await?;
        }
        Ok(())
    }
}
