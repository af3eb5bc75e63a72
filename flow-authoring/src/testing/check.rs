//! Expectations: what `expect:` in a conversation test checks against what the bot did.

use flow_runtime::{Announcement, Effect, Speaker, View};

use super::driver::Driver;
use super::render::{effect_kind, message_text, status_name};
use super::script::Expect;

impl Driver {
    /// Whether every expectation given holds for what happened since the last act.
    pub(super) fn check(&self, e: &Expect) -> Result<(), String> {
        let said: Vec<String> = self
            .recent
            .iter()
            .filter_map(|f| match f {
                Effect::View(View::ShowMessage(m)) if m.from != Speaker::Shopper => {
                    Some(message_text(m))
                }
                Effect::View(_) | Effect::Request(_) | Effect::Announce(_) | Effect::Save(_) => {
                    None
                }
            })
            .collect();
        let mut failures = Vec::new();
        if let Some(s) = &e.says
            && !said.iter().any(|m| m.contains(s.as_str()))
        {
            failures.push(format!(
                "expected the bot to say something containing {s:?}; it said {said:?}"
            ));
        }
        if let Some(s) = &e.says_exactly
            && !said.iter().any(|m| m == s)
        {
            failures.push(format!(
                "expected the bot to say exactly {s:?}; it said {said:?}"
            ));
        }
        if let Some(s) = &e.not_says
            && said.iter().any(|m| m.contains(s.as_str()))
        {
            failures.push(format!(
                "expected the bot not to say {s:?}; it said {said:?}"
            ));
        }
        if let Some(q) = &e.quick_replies {
            let now: Vec<&str> = self.offered.iter().map(|b| b.label.as_str()).collect();
            if now != q.iter().map(String::as_str).collect::<Vec<_>>() {
                failures.push(format!("expected quick replies {q:?}; on screen: {now:?}"));
            }
        }
        let teasers: Vec<String> = self
            .recent
            .iter()
            .filter_map(|f| {
                if let Effect::View(View::ShowTeaser(m)) = f {
                    Some(message_text(m))
                } else {
                    None
                }
            })
            .collect();
        if let Some(t) = &e.teaser
            && !teasers.iter().any(|m| m.contains(t.as_str()))
        {
            failures.push(format!(
                "expected a teaser containing {t:?}; teasers: {teasers:?}"
            ));
        }
        if e.no_teaser == Some(true) && !teasers.is_empty() {
            failures.push(format!("expected no teaser; shown: {teasers:?}"));
        }
        let kinds: Vec<&str> = self.recent.iter().map(effect_kind).collect();
        if let Some(k) = &e.effect
            && !kinds.contains(&k.as_str())
        {
            failures.push(format!("expected a `{k}` effect; got {kinds:?}"));
        }
        if let Some(k) = &e.no_effect
            && kinds.contains(&k.as_str())
        {
            failures.push(format!("expected no `{k}` effect; got one"));
        }
        if let Some(t) = &e.track {
            let names: Vec<&str> = self
                .recent
                .iter()
                .filter_map(|f| {
                    if let Effect::Announce(Announcement::Track(t)) = f {
                        Some(t.name.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            if !names.contains(&t.as_str()) {
                failures.push(format!("expected the analytics event `{t}`; got {names:?}"));
            }
        }
        for (name, want) in &e.vars {
            let got = self.conversation.var(name).map(|v| v.to_text());
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("expected {name} = {want:?}; it is {got:?}"));
            }
        }
        if let Some(s) = &e.status {
            let got = status_name(self.conversation.status());
            if got != s {
                failures.push(format!("expected status {s}; it is {got}"));
            }
        }
        if let Some(titles) = &e.cards {
            let got: Vec<String> = self
                .messages
                .iter()
                .rev()
                .find(|m| !m.cards.is_empty())
                .map(|m| m.cards.iter().map(|c| c.title.clone()).collect())
                .unwrap_or_default();
            if &got != titles {
                failures.push(format!("expected cards {titles:?}; shown: {got:?}"));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        }
    }
}
