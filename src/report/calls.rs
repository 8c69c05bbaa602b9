//! `phpmailfix calls`: the inventory of every mail-sending call, clean ones
//! too, with what is known of its headers and envelope sender.

use super::path_string;
use crate::model::{Headers, IndirectKind, MailCall, Params};
use crate::scan::{FileReport, ScanResult};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonCall {
    path: String,
    line: usize,
    column: usize,
    function: &'static str,
    /// `direct`, or how an indirect call is made.
    kind: &'static str,
    /// Number of arguments; null when unknown (`...$args`, indirect calls).
    arguments: Option<usize>,
    headers: Value,
    envelope_sender: Value,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn headers_json(headers: &Headers) -> Value {
    match headers {
        Headers::Absent => json!({"kind": "absent", "has_from": false}),
        Headers::Text(text) => {
            json!({"kind": "constant", "value": lossy(text), "has_from": headers.has_from()})
        }
        Headers::Array(entries) => {
            let map: Map<String, Value> = entries
                .iter()
                .map(|(k, v)| (lossy(k), Value::String(lossy(v))))
                .collect();
            json!({"kind": "constant", "value": map, "has_from": headers.has_from()})
        }
        Headers::Dynamic => json!({"kind": "dynamic", "has_from": null}),
    }
}

fn params_json(params: &Params) -> Value {
    match params {
        Params::Absent => json!({"kind": "absent", "sets_sender": false}),
        Params::Text(text) => json!({
            "kind": "constant",
            "value": lossy(text),
            "sets_sender": Params::sets_sender(text),
        }),
        Params::Dynamic(origin) => json!({
            "kind": "dynamic",
            "sets_sender": null,
            "from_recipient": origin.from_recipient,
            "superglobal": origin.superglobal,
        }),
    }
}

fn kind_name(kind: IndirectKind) -> &'static str {
    match kind {
        IndirectKind::Spread => "spread",
        IndirectKind::Callback => "callback",
        IndirectKind::VariableFunction => "variable-function",
        IndirectKind::FirstClassCallable => "first-class-callable",
    }
}

fn calls_of(file: &FileReport) -> Vec<JsonCall> {
    let position = |offset| file.lines.position(&file.source, offset);
    let direct = file.analysis.calls.iter().map(|call: &MailCall| {
        let at = position(call.name_range.start);
        JsonCall {
            path: path_string(&file.path),
            line: at.line,
            column: at.column,
            function: call.function.name(),
            kind: "direct",
            arguments: (!call.spread).then_some(call.arguments.len()),
            headers: headers_json(&call.headers),
            envelope_sender: params_json(&call.params),
        }
    });
    let indirect = file
        .analysis
        .indirect
        .iter()
        .filter(|i| i.kind != IndirectKind::Spread)
        .map(|i| {
            let at = position(i.range.start);
            JsonCall {
                path: path_string(&file.path),
                line: at.line,
                column: at.column,
                function: i.function.name(),
                kind: kind_name(i.kind),
                arguments: None,
                headers: json!({"kind": "unknown", "has_from": null}),
                envelope_sender: json!({"kind": "unknown", "sets_sender": null}),
            }
        });
    let mut calls: Vec<JsonCall> = direct.chain(indirect).collect();
    calls.sort_by_key(|c| (c.line, c.column));
    calls
}

pub fn print_json(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let calls: Vec<JsonCall> = result.files.iter().flat_map(calls_of).collect();
    let document = json!({
        "version": 1,
        "files_scanned": result.files_scanned,
        "calls": calls,
        "errors": super::json::errors(result),
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn describe(value: &Value) -> String {
    match value["kind"].as_str() {
        Some("constant") => match &value["value"] {
            Value::String(s) => format!("constant {}", Value::String(s.clone())),
            other => format!("constant {other}"),
        },
        Some(kind) => kind.to_string(),
        None => "unknown".to_string(),
    }
}

pub fn print_text(result: &ScanResult, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut total = 0;
    for file in &result.files {
        for call in calls_of(file) {
            total += 1;
            let arguments = call.arguments.map_or("unknown arguments".to_string(), |n| {
                format!("{n} argument{}", if n == 1 { "" } else { "s" })
            });
            let how = if call.kind == "direct" {
                String::new()
            } else {
                format!(" ({})", call.kind)
            };
            writeln!(
                out,
                "{}:{}:{}: {}(){how}, {arguments}; headers: {}; envelope sender: {}",
                call.path,
                call.line,
                call.column,
                call.function,
                describe(&call.headers),
                describe(&call.envelope_sender)
            )?;
        }
    }
    if !quiet {
        writeln!(
            out,
            "{total} mail-sending call{} found, {} files scanned in {:.2}s",
            if total == 1 { "" } else { "s" },
            result.files_scanned,
            result.elapsed.as_secs_f64()
        )?;
    }
    Ok(())
}
