//! Who of the team has the inbox open on this instance (the whole deployment's, across
//! instances on one PostgreSQL: [`crate::cluster::Cluster::agents_here`]): a person counts from the moment
//! their inbox's event stream opens until it closes (the stream's keep-alive every 15 s is
//! the heartbeat: a vanished browser breaks it within that). Whether they said "away" is
//! kept with their account ([`crate::agents::set_away`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The people with an open inbox (cheap to clone: one shared map).
#[derive(Clone, Default)]
pub struct Presence {
    open: Arc<Mutex<HashMap<i64, usize>>>,
    /// Told whenever someone arrives or leaves, so that other instances hear of it at once
    /// ([`crate::cluster`]).
    pub(crate) changed: Arc<tokio::sync::Notify>,
}

/// One open inbox: the person counts as here while it lives.
pub struct Here {
    presence: Presence,
    agent: i64,
}

impl Presence {
    /// Agent `agent` opened an inbox (one more tab).
    pub fn arrive(&self, agent: i64) -> Here {
        *self
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(agent)
            .or_default() += 1;
        self.changed.notify_one();
        Here {
            presence: self.clone(),
            agent,
        }
    }

    /// The people with at least one inbox open.
    pub fn here(&self) -> Vec<i64> {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(id, _)| *id)
            .collect()
    }
}

impl Drop for Here {
    fn drop(&mut self) {
        let mut open = self.presence.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.agent) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.agent);
                self.presence.changed.notify_one();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_here_while_any_of_their_inboxes_is_open() {
        let p = Presence::default();
        let a = p.arrive(1);
        let b = p.arrive(1);
        assert_eq!(p.here(), [1]);
        drop(a);
        assert_eq!(p.here(), [1]);
        drop(b);
        assert!(p.here().is_empty());
    }
}
