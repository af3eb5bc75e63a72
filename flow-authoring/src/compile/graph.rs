//! Checks on the shape of the conversation: steps nobody reaches, and loops that never
//! wait for the shopper.

use super::diagnostic::Diagnostic;
use flow_runtime::flow::{ButtonAction, Content, FaqAnswer, Flow, StepIdx, StepKind};

/// Where a step can lead: `auto` edges are followed without waiting for anyone.
struct Edges {
    auto: Vec<StepIdx>,
    waiting: Vec<StepIdx>,
}

fn content_targets(flow: &Flow, content: &Content, out: &mut Vec<StepIdx>) {
    let actions = content.quick_replies.iter().map(|q| &q.action).chain(
        content
            .cards
            .iter()
            .flat_map(|c| c.buttons.iter().map(|b| &b.action)),
    );
    for action in actions {
        match action {
            ButtonAction::Goto(s) => out.push(*s),
            ButtonAction::Faq(e) => {
                if let Some(entry) = flow.faq.entries.get(*e as usize) {
                    match &entry.answer {
                        FaqAnswer::Goto(s) => out.push(*s),
                        // Entry contents are roots themselves (see `roots`).
                        FaqAnswer::Content(_) => {}
                    }
                }
            }
            ButtonAction::Handoff => out.extend(flow.escalation.handoff),
            _ => {}
        }
    }
}

fn edges(flow: &Flow, idx: StepIdx) -> Edges {
    let mut auto = Vec::new();
    let mut waiting = Vec::new();
    let Some(step) = flow.step(idx) else {
        return Edges { auto, waiting };
    };
    match &step.kind {
        StepKind::Message { content, next } => {
            content_targets(flow, content, &mut waiting);
            if content.quick_replies.is_empty() {
                auto.extend(*next);
            }
        }
        StepKind::Ask(a) => {
            content_targets(flow, &a.content, &mut waiting);
            waiting.extend(a.next);
            waiting.extend(a.on_fail);
        }
        StepKind::Goto(to) => auto.push(*to),
        StepKind::Condition {
            branches,
            otherwise,
        } => {
            auto.extend(branches.iter().map(|(_, s)| *s));
            auto.extend(*otherwise);
        }
        StepKind::Set { next, .. } => auto.extend(*next),
        StepKind::End { content } => {
            if let Some(c) = content {
                content_targets(flow, c, &mut waiting);
            }
        }
        // Without the values to look up with, the engine takes `error` at once.
        StepKind::OrderLookup(o) => {
            auto.extend([o.found, o.not_found, o.error].into_iter().flatten())
        }
        StepKind::Handoff(h) => {
            waiting.extend([h.available, h.offline, h.error].into_iter().flatten())
        }
        StepKind::HandoffEmail { next, error, .. } => {
            auto.extend([*next, *error].into_iter().flatten())
        }
        StepKind::Csat(c) => waiting.extend(c.next),
    }
    Edges { auto, waiting }
}

/// Steps that start conversations or answers.
fn roots(flow: &Flow) -> Vec<StepIdx> {
    let mut roots = vec![flow.greeting];
    roots.extend(flow.menu);
    roots.extend(
        flow.triggers
            .iter()
            .flat_map(|t| t.variants.iter().map(|v| v.step)),
    );
    for entry in &flow.faq.entries {
        match &entry.answer {
            FaqAnswer::Goto(s) => roots.push(*s),
            FaqAnswer::Content(c) => content_targets(flow, c, &mut roots),
        }
    }
    content_targets(flow, &flow.faq.fallback, &mut roots);
    let e = &flow.escalation;
    roots.extend([e.offer, e.handoff, e.after_handoff].into_iter().flatten());
    roots
}

pub(super) fn check(flow: &Flow, pointer: impl Fn(usize) -> String, diags: &mut Vec<Diagnostic>) {
    let n = flow.steps.len();
    let all_edges: Vec<Edges> = (0..n as StepIdx).map(|i| edges(flow, i)).collect();

    // Reachability.
    let mut reached = vec![false; n];
    let mut stack = roots(flow);
    while let Some(i) = stack.pop() {
        let Some(seen) = reached.get_mut(i as usize) else {
            continue;
        };
        if *seen {
            continue;
        }
        *seen = true;
        let e = &all_edges[i as usize];
        stack.extend(e.auto.iter().chain(&e.waiting));
    }
    for (i, r) in reached.iter().enumerate() {
        if !r {
            diags.push(
                Diagnostic::warning("unreachable", pointer(i), format!("the step `{}` is never reached", flow.steps[i].id))
                    .help("lead to it from another step (next, goto, a quick reply, a trigger), or remove it"),
            );
        }
    }

    // Loops over `auto` edges: strongly connected components (Tarjan, iterative).
    for component in components(&all_edges) {
        let is_loop = component.len() > 1
            || all_edges[component[0] as usize]
                .auto
                .contains(&component[0]);
        if !is_loop {
            continue;
        }
        let exits = component.iter().any(|&i| {
            all_edges[i as usize]
                .auto
                .iter()
                .any(|t| !component.contains(t))
        });
        let mut ids: Vec<&str> = component
            .iter()
            .map(|&i| flow.steps[i as usize].id.as_str())
            .collect();
        ids.sort_unstable();
        let first = *component.iter().min().unwrap_or(&0) as usize;
        let cycle = format!("{} → {}", ids.join(" → "), ids[0]);
        let help = "give one of these steps quick replies, or let the loop pass through a step that waits (ask, csat) or stops (end)";
        diags.push(if exits {
            Diagnostic::warning(
                "loop",
                pointer(first),
                format!("the steps {cycle} may repeat without waiting for the shopper"),
            )
            .help(help)
        } else {
            Diagnostic::error(
                "loop",
                pointer(first),
                format!("the steps {cycle} repeat forever without waiting for the shopper"),
            )
            .help(help)
        });
    }
}

/// Strongly connected components of the `auto` graph.
fn components(edges: &[Edges]) -> Vec<Vec<StepIdx>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            if *next == 0 && index[v] == usize::MAX {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            let succ: Vec<usize> = edges[v]
                .auto
                .iter()
                .map(|&s| s as usize)
                .filter(|&s| s < n)
                .collect();
            if *next < succ.len() {
                let w = succ[*next];
                *next += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w as StepIdx);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

/// Where an order lookup starts: the step the FAQ's or the greeting's "track my order"
/// goes to (the first that leads, without waiting for anything but answers, to an
/// `order_lookup` step), else the `ask` for an order number itself.
pub(super) fn order_start(flow: &Flow) -> Option<StepIdx> {
    let from_faq = flow.faq.entries.iter().filter_map(|e| match e.answer {
        FaqAnswer::Goto(s) => Some(s),
        FaqAnswer::Content(_) => None,
    });
    let from_menus = [Some(flow.greeting), flow.menu]
        .into_iter()
        .flatten()
        .filter_map(|i| flow.step(i))
        .flat_map(|s| match &s.kind {
            StepKind::Message { content, .. } => content
                .quick_replies
                .iter()
                .filter_map(|q| match q.action {
                    ButtonAction::Goto(g) => Some(g),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        });
    let asks = flow
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.kind {
            StepKind::Ask(a) if a.var == "order_number" => Some(i as StepIdx),
            _ => None,
        });
    from_faq
        .chain(from_menus)
        .chain(asks)
        .find(|&s| leads_to_lookup(flow, s))
}

/// Whether `from` reaches an `order_lookup` by steps that run on their own or take an
/// answer (never through a quick reply the shopper would have to choose).
fn leads_to_lookup(flow: &Flow, from: StepIdx) -> bool {
    let mut seen = vec![false; flow.steps.len()];
    let mut todo = vec![from];
    while let Some(i) = todo.pop() {
        let Some(step) = flow.step(i) else { continue };
        if std::mem::replace(&mut seen[i as usize], true) {
            continue;
        }
        match &step.kind {
            StepKind::OrderLookup(_) => return true,
            StepKind::Goto(to) => todo.push(*to),
            StepKind::Condition {
                branches,
                otherwise,
            } => {
                todo.extend(branches.iter().map(|(_, s)| *s));
                todo.extend(*otherwise);
            }
            StepKind::Set { next, .. } => todo.extend(*next),
            StepKind::Ask(a) => todo.extend(a.next),
            StepKind::Message { content, next } if content.quick_replies.is_empty() => {
                todo.extend(*next)
            }
            _ => {}
        }
    }
    false
}
