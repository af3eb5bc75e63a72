//! The `browser` crate's rules, natively, against a fake browser: what each stage's real
//! platform (the panel's `web-sys`, the eager stage's loader imports) must only carry out.
//! The browser tests (`tests/e2e/`) run the same rules through both real platforms.

use std::cell::RefCell;
use std::collections::BTreeMap;

use browser::commands::Command;
use browser::{PageValue, Platform, signals, storage};
use flow_runtime::{Device, Input};

/// A browser in memory.
#[derive(Default)]
struct Fake {
    stored: RefCell<BTreeMap<String, String>>,
    lang: Option<String>,
    hash: String,
    width: Option<f64>,
    coarse: bool,
}

impl Platform for Fake {
    fn now(&self) -> f64 {
        1_700_000_000_000.0
    }
    fn storage_get(&self, key: &str) -> Option<String> {
        self.stored.borrow().get(key).cloned()
    }
    fn storage_set(&self, key: &str, value: &str) {
        self.stored.borrow_mut().insert(key.into(), value.into());
    }
    fn storage_remove(&self, key: &str) {
        self.stored.borrow_mut().remove(key);
    }
    fn storage_keys(&self) -> Vec<String> {
        self.stored.borrow().keys().cloned().collect()
    }
    fn random(&self, bytes: &mut [u8]) {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = i as u8 * 17;
        }
    }
    fn href(&self) -> String {
        format!("https://shop.example/p/tea{}", self.hash)
    }
    fn pathname(&self) -> String {
        "/p/tea".into()
    }
    fn hash(&self) -> String {
        self.hash.clone()
    }
    fn lang_attribute(&self) -> Option<String> {
        self.lang.clone()
    }
    fn navigator_language(&self) -> Option<String> {
        Some("de-DE".into())
    }
    fn inner_width(&self) -> Option<f64> {
        self.width
    }
    fn coarse_pointer(&self) -> bool {
        self.coarse
    }
    fn hidden(&self) -> bool {
        false
    }
}

fn install(fake: Fake) -> &'static Fake {
    let fake: &'static Fake = Box::leak(Box::new(fake));
    browser::install(fake);
    fake
}

/// A page's value, as the tests write it.
#[derive(Clone, Debug)]
enum V {
    Undefined,
    Num(f64),
    Str(&'static str),
    Bool(bool),
    List(Vec<V>),
    Obj(Vec<(&'static str, V)>),
}

impl PageValue for V {
    fn field(&self, key: &str) -> V {
        match self {
            V::Obj(fields) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(V::Undefined, |(_, v)| v.clone()),
            _ => V::Undefined,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn string(&self) -> Option<String> {
        match self {
            V::Str(s) => Some((*s).into()),
            _ => None,
        }
    }
    fn text(&self) -> Option<String> {
        match self {
            V::Num(n) => Some(n.to_string()),
            _ => self.string(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            V::Undefined => false,
            V::Num(n) => *n != 0.0,
            V::Str(s) => !s.is_empty(),
            V::Bool(b) => *b,
            V::List(_) | V::Obj(_) => true,
        }
    }
    fn length(&self) -> Option<u32> {
        match self {
            V::List(items) => Some(items.len() as u32),
            _ => None,
        }
    }
    fn item(&self, index: u32) -> V {
        match self {
            V::List(items) => items.get(index as usize).cloned().unwrap_or(V::Undefined),
            _ => V::Undefined,
        }
    }
    fn entries(&self) -> Vec<(String, V)> {
        match self {
            V::Obj(fields) => fields
                .iter()
                .map(|(k, v)| ((*k).into(), v.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[test]
fn with_consent_required_nothing_is_stored_until_it_is_given() {
    let fake = install(Fake::default());
    fake.storage_set("theme", "page's own");
    storage::require_consent(true);
    let id = storage::visitor_id();
    assert_eq!(
        id, "00112233445566778899aabb",
        "from the platform's generator"
    );
    assert_eq!(
        storage::get("bellhop:visitor").as_deref(),
        Some(id.as_str())
    );
    assert_eq!(fake.storage_get("bellhop:visitor"), None, "waits in memory");
    storage::grant(true);
    assert_eq!(fake.storage_get("bellhop:visitor"), Some(id));
    storage::set("bellhop:state", "1:AAAA");
    assert!(
        fake.storage_get("bellhop:state").is_some(),
        "writes go through now"
    );
}

#[test]
fn refused_consent_removes_what_bellhop_stored_and_nothing_else() {
    let fake = install(Fake::default());
    fake.storage_set("theme", "page's own");
    fake.storage_set("bellhop:watched", "1:old");
    storage::require_consent(true);
    storage::set("bellhop:state", "1:AAAA");
    storage::grant(false);
    assert_eq!(fake.storage_keys(), ["theme"]);
    storage::set("bellhop:state", "1:BBBB");
    assert_eq!(
        fake.storage_keys(),
        ["theme"],
        "and nothing is written after"
    );
}

#[test]
fn records_that_do_not_decode_are_removed() {
    let fake = install(Fake::default());
    fake.storage_set("bellhop:watched", "1:not base64!");
    fake.storage_set("bellhop:state", "2:AAAA");
    assert!(storage::read_watched().is_none());
    assert!(storage::read_state().is_none());
    assert_eq!(fake.storage_keys(), Vec::<String>::new());
}

#[test]
fn the_cached_launch_table_belongs_to_its_flow() {
    install(Fake::default());
    storage::cache_launch("https://shop.example/flows/a.json", &[1, 2, 3, 250]);
    assert_eq!(
        storage::cached_launch("https://shop.example/flows/a.json"),
        Some(vec![1, 2, 3, 250])
    );
    assert_eq!(
        storage::cached_launch("https://shop.example/flows/b.json"),
        None
    );
}

#[test]
fn the_page_takes_its_language_from_html_then_the_browser() {
    install(Fake {
        lang: Some("es".into()),
        width: Some(390.0),
        coarse: true,
        ..Fake::default()
    });
    let page = signals::page();
    assert_eq!(page.language, "es");
    assert_eq!(page.path, "/p/tea");
    assert_eq!(page.device, Device::of_screen(390.0, true));
    install(Fake::default());
    assert_eq!(signals::page().language, "de-DE");
    assert_eq!(signals::page().device, Device::of_screen(1280.0, false));
}

#[test]
fn a_resume_token_is_hex_and_short() {
    for (hash, token) in [
        ("#bellhop-resume=00ff", Some("00ff")),
        ("#bellhop-resume=", None),
        ("#bellhop-resume=zz", None),
        ("#other", None),
    ] {
        install(Fake {
            hash: hash.into(),
            ..Fake::default()
        });
        assert_eq!(signals::resume_token().as_deref(), token, "{hash}");
    }
    install(Fake {
        hash: format!("#bellhop-resume={}", "a".repeat(129)),
        ..Fake::default()
    });
    assert_eq!(signals::resume_token(), None);
}

#[test]
fn a_cart_reads_a_count_or_its_lines() {
    let counted = signals::cart(&V::Obj(vec![
        ("items", V::Num(3.0)),
        ("value", V::Num(42.5)),
        ("currency", V::Str("EUR-and-more")),
    ]));
    assert_eq!(counted.items, 3);
    assert_eq!(counted.value, flow_runtime::value::Num(42_500));
    assert_eq!(counted.currency, "EUR-and-");
    let lines = signals::cart(&V::Obj(vec![(
        "items",
        V::List(vec![
            V::Obj(vec![("name", V::Str("Sencha")), ("quantity", V::Num(2.0))]),
            V::Obj(vec![("name", V::Str("  ")), ("title", V::Str("Pot"))]),
            V::Obj(vec![("sku", V::Str("CUP-1")), ("quantity", V::Num(-4.0))]),
            V::Num(7.0),
        ]),
    )]));
    assert_eq!(lines.items, 2 + 1 + 1);
    let names: Vec<_> = lines
        .lines
        .iter()
        .map(|l| (l.name.as_str(), l.quantity))
        .collect();
    assert_eq!(names, [("Sencha", 2), ("Pot", 1), ("CUP-1", 0)]);
    assert_eq!(lines.value, flow_runtime::value::Num(0));
    let many = V::Obj(vec![(
        "items",
        V::List(vec![V::Obj(vec![("name", V::Str("x"))]); 500]),
    )]);
    assert_eq!(
        signals::cart(&many).lines.len(),
        flow_runtime::Cart::MAX_LINES
    );
    // However long an array claims to be, a thousand of its elements are read.
    let endless = V::Obj(vec![(
        "items",
        V::List(vec![V::Obj(vec![("name", V::Str("x"))]); 1500]),
    )]);
    assert_eq!(signals::cart(&endless).items, browser::value::MAX_ITEMS);
    let junk = signals::cart(&V::Str("cart"));
    assert_eq!((junk.items, junk.lines.len()), (0, 0));
}

#[test]
fn an_identity_keeps_strings_and_numbers() {
    let fields = signals::identity(&V::Obj(vec![
        ("email", V::Str("ana@example.com")),
        ("orders", V::Num(3.0)),
        ("vip", V::Bool(true)),
        ("tags", V::List(vec![])),
    ]));
    assert_eq!(
        fields,
        [
            ("email".to_string(), "ana@example.com".to_string()),
            ("orders".to_string(), "3".to_string())
        ]
    );
    assert!(signals::identity(&V::Str("ana")).is_empty());
}

#[test]
fn signals_and_commands_read_their_arguments() {
    let scroll = signals::input("scroll", &V::Num(-5.0), 800.0, 2400.0);
    assert!(matches!(scroll, Some(Input::Scrolled(s)) if s.top == 0 && s.height == 2400));
    assert!(matches!(
        signals::input("visible", &V::Bool(false), 0.0, 0.0),
        Some(Input::Visibility(false))
    ));
    assert!(signals::input("shout", &V::Undefined, 0.0, 0.0).is_none());
    assert_eq!(Command::named("setCart"), Some(Command::SetCart));
    assert_eq!(Command::named("SETCART"), None);
    let track = Command::Track.input(
        &V::Str(Box::leak("e".repeat(100).into_boxed_str())),
        &V::Undefined,
    );
    assert!(matches!(track, Some(Input::Custom(name)) if name.len() == 64));
    assert!(Command::Track.input(&V::Num(1.0), &V::Undefined).is_none());
    assert!(matches!(
        Command::Preview.input(&V::Str("exit"), &V::Undefined),
        Some(Input::Preview { trigger, variant }) if trigger == "exit" && variant.is_empty()
    ));
    assert!(Command::Open.input(&V::Undefined, &V::Undefined).is_none());
}
