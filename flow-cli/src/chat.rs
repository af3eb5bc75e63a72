//! `flow chat`: the flow in a terminal. What you type is said to the bot; lines starting
//! with `/` are everything else a shopper, a page, a server or an agent can do.

use std::io::{BufRead, Write};
use std::path::Path;

use flow_authoring::testing::{Act, Driver, FixtureOrder, OrderReply, parse_act};
use flow_runtime::{Effect, Request};

const HELP: &str = "\
Type to talk to the bot. Commands:
  /pick LABEL | /pick N        choose a quick reply
  /card N BUTTON               press a button on card N of the last carousel
  /rate N [comment]            answer a satisfaction question
  /open  /close  /dismiss      the panel and the teaser
  /page PATH [LANG] [DEVICE]   go to a page (e.g. /page /checkout es phone)
  /cart ITEMS VALUE            the host page reports its cart
  /trigger exit_intent [scroll_up|tab_return]   /trigger scroll_depth 80
  /trigger time_on_page 30     /trigger idle 60     /trigger NAME (custom event)
  /wait SECONDS  /hidden  /visible  /typing on|off
  /order fixture|not_found|error   answer an order lookup (fixture: from --orders)
  /handoff available|offline|error
  /agent joins NAME  /agent says NAME: TEXT  /agent closes  /delivered ok|fail
  /reload  /vars  /help  /quit";

pub fn run(path: &Path, orders: Option<&Path>) -> anyhow::Result<bool> {
    let compiled = super::load::compile(path)?;
    let name = path.display().to_string();
    for d in compiled.diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{}\n", d.render(&name));
    }
    let Some(flow) = compiled.flow else {
        return Ok(false);
    };
    let mut driver = Driver::new(flow);
    if let Some(orders) = orders {
        driver.orders = super::load::read::<Vec<FixtureOrder>>(orders)?;
    }
    println!("Chatting with {name}. /help lists the commands.");
    let mut shown = 0;
    let apply = |driver: &mut Driver, act: Act| {
        if let Err(e) = driver.act(&act) {
            println!("  ! {e}");
        }
        // Order lookups are answered from the fixtures straight away, like a server would.
        let lookup = driver
            .recent
            .iter()
            .any(|e| matches!(e, Effect::Request(Request::LookUpOrder { .. })));
        if lookup && !driver.orders.is_empty() {
            let _ = driver.act(&Act::Order(OrderReply::Word("fixture".into())));
        }
        if driver
            .recent
            .iter()
            .any(|e| matches!(e, Effect::Request(Request::HandOff(_))))
        {
            println!(
                "  (the server is asked for a person: answer with /handoff available|offline|error)"
            );
        }
    };
    apply(&mut driver, Act::Open);
    let stdin = std::io::stdin();
    loop {
        for line in &driver.transcript[shown..] {
            if !line.starts_with('>') {
                println!("{line}");
            }
        }
        shown = driver.transcript.len();
        print!("you> ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Ok(true);
        }
        let line = line.trim();
        match line {
            "" => continue,
            "/quit" | "/exit" => return Ok(true),
            "/help" => println!("{HELP}"),
            "/vars" => {
                for (k, v) in &driver.conversation().snapshot().chat.vars {
                    println!("  {k} = {}", v.to_text());
                }
            }
            command if command.starts_with('/') => match parse_act(&command[1..]) {
                Ok(act) => apply(&mut driver, act),
                Err(e) => println!("  ! {e} (/help lists the commands)"),
            },
            text => apply(&mut driver, Act::Say(text.to_owned())),
        }
    }
}
