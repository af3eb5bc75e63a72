//! The orders in Bellhop's own database (`www orders import`, the demo's): the source when
//! no shop system is connected.

use futures_util::future::BoxFuture;

use super::source::{Candidate, Failure, OrderSource, SourceError};
use crate::db::Db;

pub struct Stored {
    pub db: Db,
}

impl OrderSource for Stored {
    fn name(&self) -> &'static str {
        "Imported orders"
    }

    fn place(&self) -> String {
        "Bellhop's database (www orders import)".into()
    }

    /// The database compares the email itself, digest against digest, on one path for a
    /// missing order and a wrong email ([`super::look_up`]).
    fn checks_email(&self) -> bool {
        true
    }

    fn fetch<'a>(
        &'a self,
        number: &'a str,
        email: &'a str,
    ) -> BoxFuture<'a, Result<Option<Candidate>, SourceError>> {
        Box::pin(async move {
            match super::look_up(&self.db, number, email).await {
                Ok(found) => Ok(found.map(|order| Candidate { email: None, order })),
                Err(e) => {
                    tracing::error!("order lookup in the database: {e}");
                    Err(SourceError::new(
                        Failure::Down,
                        "The database did not answer the lookup (see the server's log)",
                    ))
                }
            }
        })
    }
}
