//! Checking a flow document and compiling it for the engine.
//!
//! [`compile_json`] (or [`compile_value`] for YAML and TOML read into JSON values) returns
//! every problem at once, each located by JSON pointer and, for JSON text, line and
//! column, with a suggested fix; and the compiled [`Flow`] when there is no error.
//! Warnings do not stop a flow from compiling.

mod conditions;
mod diagnostic;
mod faq;
mod graph;
mod hours;
mod locate;
mod lower;
pub mod markdown;
mod parse;
mod phrases;
mod steps;
mod suggest;
mod triggers;

pub use diagnostic::{Diagnostic, Severity};
pub use faq::entry_phrasings;
pub use hours::hours_from_line;
pub use lower::MAX_QUICK_REPLIES;
pub use suggest::{closest, distance};

use std::collections::HashMap;

use crate::doc::{ModeDoc, PositionDoc, StepDoc, ThemeDoc};
use diagnostic::push_pointer;
use flow_runtime::flow::{Bot, ColorMode, Escalation, Flow, Phrase, Position, Theme};
use flow_runtime::pattern::Pattern;
use flow_runtime::{DEFAULT_HUMAN_PHRASES, safe_image};
use lower::Lower;

/// The outcome of compiling: the flow if it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Compiled {
    pub flow: Option<Flow>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Compiles a flow written in JSON; diagnostics carry lines and columns.
pub fn compile_json(source: &str) -> Compiled {
    let value: serde_json::Value = match serde_json::from_str(source) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error(
                "syntax",
                "",
                format!("this is not valid JSON: {}", strip_position(&e.to_string())),
            )
            .help("check for a missing comma, quote or bracket just before this point");
            d.line = Some(e.line() as u32);
            d.column = Some(e.column() as u32);
            return Compiled {
                flow: None,
                diagnostics: vec![d],
            };
        }
    };
    let mut compiled = compile_value(&value);
    let locations = locate::Locations::scan(source);
    for d in &mut compiled.diagnostics {
        let key = matches!(
            d.code,
            "unknown-field" | "duplicate-id" | "unknown-language"
        );
        if let Some((line, column)) = locations.find(&d.pointer, key) {
            d.line = Some(line);
            d.column = Some(column);
        }
    }
    compiled.diagnostics.sort_by_key(|d| (d.line, d.column));
    compiled
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Compiles a flow given as a JSON value (as read from JSON, YAML or TOML).
pub fn compile_value(value: &serde_json::Value) -> Compiled {
    let mut diags = Vec::new();
    let Some(parsed) = parse::parse(value, &mut diags) else {
        return Compiled {
            flow: None,
            diagnostics: diags,
        };
    };
    let languages = languages(&parsed.doc.bot.languages, &mut diags);
    let mut l = Lower::new(&parsed, &mut diags, languages);
    l.collect_variables();

    // Duplicate step ids: the first one counts, the others are reported.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, step) in parsed.doc.steps.iter().enumerate() {
        if let Some(&j) = first.get(step.id()) {
            let here = push_pointer(&l.step_pointer(i), "id");
            let there = l.step_pointer(j);
            l.error(
                "duplicate-id",
                here,
                format!("two steps are called `{}`", step.id()),
                format!("step ids must be unique; the other one is at {there}"),
            );
        } else {
            first.insert(step.id(), i);
        }
    }

    let steps: Vec<_> = (0..parsed.doc.steps.len()).map(|i| l.step(i)).collect();
    let faq = l.faq();
    let triggers = l.triggers();
    let escalation = escalation(&mut l);
    let bot = bot(&mut l);
    let greeting = match &parsed.doc.bot.greeting {
        Some(g) => l.step_ref(g, "/bot/greeting"),
        None if parsed.doc.steps.is_empty() => {
            if parsed.broken_steps.is_empty() {
                l.error(
                    "no-steps",
                    "/steps",
                    "the flow has no steps",
                    "add a first step: it greets the shopper",
                );
            }
            None
        }
        None => Some(0),
    };
    let menu = parsed
        .doc
        .bot
        .menu
        .as_ref()
        .and_then(|m| l.step_ref(m, "/bot/menu"));
    let order_number =
        parsed
            .doc
            .order_number
            .as_ref()
            .and_then(|source| match Pattern::parse(source) {
                Ok(p) => Some(p),
                Err(e) => {
                    l.error(
                        "bad-pattern",
                        "/order_number",
                        format!(
                            "invalid pattern `{source}`: {} (at character {})",
                            e.message,
                            e.offset + 1
                        ),
                        "patterns use literals, [classes], \\d, \\w, ( | ), ? * + {n,m}",
                    );
                    None
                }
            });
    let mut variables = Vec::new();
    for (name, v) in &parsed.doc.variables {
        let at = push_pointer("/variables", name);
        if !markdown::is_variable_name(name) {
            l.error(
                "bad-variable",
                &at,
                format!("`{name}` is not a variable name"),
                "use letters, digits, `_` and `.`, starting with a letter",
            );
        } else if let Some(value) = l.value(v, &at) {
            variables.push((name.clone(), value));
        }
    }
    let languages = l.languages.clone();
    let languages_for_phrases = languages.clone();
    let step_pointers: Vec<String> = (0..steps.len()).map(|i| l.step_pointer(i)).collect();
    // A person is offered (when asked for, after misses, on frustration) only by a flow
    // that can hand off; a button that hands off without a handoff step leads nowhere.
    if escalation.handoff.is_none() {
        for at in std::mem::take(&mut l.handoff_buttons) {
            l.error(
                "no-handoff-step",
                at,
                "this button hands off to a person, but the flow has no handoff step",
                "add a step with \"type\": \"handoff\" (the console's Handoff tab has one ready)",
            );
        }
        l.warn(
            "no-handoff-step",
            "/steps",
            "the flow has no handoff step: shoppers who ask for a person are never offered one",
            "add a step with \"type\": \"handoff\" so that shoppers can reach the team",
        );
    }

    let has_errors = diags.iter().any(Diagnostic::is_error);
    let (Some(greeting), true, false) = (greeting, parsed.has_bot, has_errors) else {
        return Compiled {
            flow: None,
            diagnostics: diags,
        };
    };
    let Some(steps) = steps.into_iter().collect::<Option<Vec<_>>>() else {
        return Compiled {
            flow: None,
            diagnostics: diags,
        };
    };
    let mut flow = Flow {
        fingerprint: 0,
        bot,
        languages,
        greeting,
        menu,
        steps,
        faq,
        triggers,
        escalation,
        order_number,
        order_start: None,
        variables,
        seed: parsed.doc.seed,
        insights: parsed.doc.insights,
        phrases: languages_for_phrases
            .iter()
            .map(|lang| {
                (
                    lang.clone(),
                    Phrase::ALL
                        .iter()
                        .map(|&p| phrases::say(p, lang).to_owned())
                        .collect(),
                )
            })
            .collect(),
    };
    flow.order_start = graph::order_start(&flow);
    // FNV-1a over the encoded flow: cheap, stable, enough to tell two flows apart.
    flow.fingerprint = flow.to_bytes().iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    graph::check(
        &flow,
        |i| step_pointers.get(i).cloned().unwrap_or_default(),
        &mut diags,
    );
    let flow = (!diags.iter().any(Diagnostic::is_error)).then_some(flow);
    Compiled {
        flow,
        diagnostics: diags,
    }
}

fn languages(codes: &[String], diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        // Read as bytes, never sliced as a string: `#€€€` is no language and no panic.
        let b = code.as_bytes();
        let ok = b.len() >= 2
            && b[..2].iter().all(u8::is_ascii_lowercase)
            && (b.len() == 2
                || (b[2] == b'-' && b.len() > 3 && b[3..].iter().all(u8::is_ascii_alphanumeric)));
        if !ok {
            diags.push(
                Diagnostic::error(
                    "bad-language",
                    format!("/bot/languages/{i}"),
                    format!("`{code}` is not a language code"),
                )
                .help("use two lowercase letters, optionally with a region: `en`, `es`, `pt-BR`"),
            );
        } else if out.contains(code) {
            diags.push(
                Diagnostic::warning(
                    "duplicate-language",
                    format!("/bot/languages/{i}"),
                    format!("`{code}` is listed twice"),
                )
                .help("remove one"),
            );
        } else {
            out.push(code.clone());
        }
    }
    if out.is_empty() {
        out.push("en".into());
    }
    out
}

fn escalation(l: &mut Lower) -> Escalation {
    let e = l.parsed.doc.escalation.clone();
    let first_handoff = l
        .parsed
        .doc
        .steps
        .iter()
        .position(|s| matches!(s, StepDoc::Handoff(_)))
        .map(|i| i as u32);
    let handoff = match &e.handoff {
        Some(id) => {
            let idx = l.step_ref(id, "/escalation/handoff");
            if let Some(i) = idx
                && !matches!(
                    l.parsed.doc.steps.get(i as usize),
                    Some(StepDoc::Handoff(_))
                )
            {
                l.error(
                    "not-a-handoff",
                    "/escalation/handoff",
                    format!("`{id}` is not a handoff step"),
                    "name a step with \"type\": \"handoff\"",
                );
            }
            idx
        }
        None => first_handoff,
    };
    let phrases = e.phrases.clone().unwrap_or_else(|| {
        DEFAULT_HUMAN_PHRASES
            .iter()
            .map(|s| s.to_string())
            .collect()
    });
    Escalation {
        phrases,
        max_misses: e.max_misses.unwrap_or(2),
        on_frustration: e.on_frustration.unwrap_or(true),
        offer: l.opt_step_ref(&e.offer, "/escalation/offer"),
        handoff,
        after_handoff: l.opt_step_ref(&e.after_handoff, "/escalation/after_handoff"),
    }
}

fn bot(l: &mut Lower) -> Bot {
    let doc = l.parsed.doc.bot.clone();
    if doc.name.trim().is_empty() && l.parsed.has_bot {
        l.error(
            "missing-name",
            "/bot/name",
            "the bot has no name",
            "name it: the name heads the chat panel and labels it for screen readers",
        );
    }
    if let Some(avatar) = &doc.avatar
        && safe_image(avatar).is_none()
    {
        l.error(
            "unsafe-url",
            "/bot/avatar",
            format!("`{avatar}` is not a safe image address"),
            "use https://… or a path on the store",
        );
    }
    let (theme, diagnostics) = theme(&doc.theme);
    l.diags.extend(diagnostics);
    let business_hours = doc
        .business_hours
        .as_ref()
        .and_then(|h| hours::lower(h, "/bot/business_hours", l.diags));
    Bot {
        name: doc.name.clone(),
        avatar: doc.avatar.clone(),
        theme,
        business_hours,
    }
}

/// The bot's look, as shoppers will see it: the colours read (`bad-color` for what is no
/// colour), the text colour on the accent chosen when none is set, and a `low-contrast`
/// warning (at `/bot/theme`) when that text would be hard to read. The console's contrast
/// check is this function's verdict, so the two never disagree.
pub fn theme(t: &ThemeDoc) -> (Theme, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut color = |c: &Option<String>, field: &str| -> Option<String> {
        let c = c.as_ref()?;
        if parse_color(c).is_none() {
            diags.push(
                Diagnostic::error(
                    "bad-color",
                    format!("/bot/theme/{field}"),
                    format!("`{c}` is not a colour"),
                )
                .help("write a hex colour: `#1f5f4a` or `#fff`"),
            );
            return None;
        }
        Some(c.to_lowercase())
    };
    let accent = color(&t.accent, "accent").unwrap_or_else(|| "#1f5f4a".into());
    let on_accent = color(&t.on_accent, "on_accent").unwrap_or_else(|| text_on(&accent).into());
    if let (Some(a), Some(b)) = (parse_color(&accent), parse_color(&on_accent)) {
        let ratio = contrast(a, b);
        if ratio < 4.5 {
            diags.push(
                Diagnostic::warning(
                    "low-contrast",
                    "/bot/theme",
                    format!("text on the accent colour has a contrast of {ratio:.1}:1, below the 4.5:1 that WCAG AA asks"),
                )
                .help("choose a darker accent, or another on_accent"),
            );
        }
    }
    let theme = Theme {
        accent,
        on_accent,
        position: match t.position {
            Some(PositionDoc::Left) => Position::Left,
            _ => Position::Right,
        },
        launcher_label: t
            .launcher_label
            .clone()
            .unwrap_or_else(|| "Open chat".into()),
        mode: match t.mode {
            Some(ModeDoc::Light) => ColorMode::Light,
            Some(ModeDoc::Dark) => ColorMode::Dark,
            _ => ColorMode::Auto,
        },
    };
    (theme, diags)
}

/// `#1f5f4a` or `#fff` as red, green and blue. Read as characters, never sliced as bytes:
/// `#aé€` is six bytes and no colour.
pub fn parse_color(c: &str) -> Option<(u8, u8, u8)> {
    let digits: Vec<u8> = c
        .strip_prefix('#')?
        .chars()
        .map(|ch| ch.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    match digits[..] {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

/// The text colour for an accent without one: white or black, whichever contrasts more.
fn text_on(accent: &str) -> &'static str {
    let a = parse_color(accent).unwrap_or((0, 0, 0));
    if contrast(a, (255, 255, 255)) >= contrast(a, (0, 0, 0)) {
        "#ffffff"
    } else {
        "#000000"
    }
}

/// WCAG contrast ratio of two sRGB colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let ch = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}
