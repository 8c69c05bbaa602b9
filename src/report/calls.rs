//! `phpmailfix calls`: the inventory of every mail-sending call, clean ones
//! too, with what is known of its headers and envelope sender.

use super::path_string;
use crate::model::{Headers, IndirectKind, MailCall, Params};
use crate::scan::{FileReport, ScanResult};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::io::{self, Write};

/// The document, keys in the order the specification gives them (a
/// `serde_json::Value` would sort them).
#[derive(Serialize)]
struct Document {
    version: u32,
    files_scanned: usize,
    calls: Vec<JsonCall>,
    errors: Vec<super::json::JsonError>,
}

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
    headers: JsonHeaders,
    envelope_sender: JsonSender,
}

/// What is known of the 4th argument: `kind` (absent, constant, dynamic,
/// unknown), the decoded `value` when constant, and whether it has a From.
#[derive(Serialize)]
struct JsonHeaders {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<HeadersValue>,
    has_from: Option<bool>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum HeadersValue {
    Text(String),
    Array(HeaderEntries),
}

/// A constant header array, as a JSON object in source order.
struct HeaderEntries(Vec<(String, String)>);

impl Serialize for HeaderEntries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// What is known of the 5th argument; for a dynamic one, where it visibly
/// comes from.
#[derive(Serialize)]
struct JsonSender {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    sets_sender: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_recipient: Option<bool>,
    /// Present (possibly null) for dynamic values only.
    #[serde(skip_serializing_if = "Option::is_none")]
    superglobal: Option<Option<String>>,
}

impl JsonHeaders {
    fn unknown() -> JsonHeaders {
        JsonHeaders {
            kind: "unknown",
            value: None,
            has_from: None,
        }
    }
}

impl JsonSender {
    fn unknown() -> JsonSender {
        JsonSender {
            kind: "unknown",
            value: None,
            sets_sender: None,
            from_recipient: None,
            superglobal: None,
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn headers_json(headers: &Headers) -> JsonHeaders {
    let (kind, value) = match headers {
        Headers::Absent => ("absent", None),
        Headers::Text(text) => ("constant", Some(HeadersValue::Text(lossy(text)))),
        Headers::Array(entries) => (
            "constant",
            Some(HeadersValue::Array(HeaderEntries(
                entries.iter().map(|(k, v)| (lossy(k), lossy(v))).collect(),
            ))),
        ),
        Headers::Keys(_) | Headers::Dynamic => ("dynamic", None),
    };
    JsonHeaders {
        kind,
        value,
        has_from: headers.has_from(),
    }
}

fn params_json(params: &Params) -> JsonSender {
    match params {
        Params::Absent => JsonSender {
            kind: "absent",
            sets_sender: Some(false),
            ..JsonSender::unknown()
        },
        Params::Text(text) => JsonSender {
            kind: "constant",
            value: Some(lossy(text)),
            sets_sender: Some(Params::sets_sender(text)),
            ..JsonSender::unknown()
        },
        Params::Dynamic(origin) => JsonSender {
            kind: "dynamic",
            from_recipient: Some(origin.from_recipient),
            superglobal: Some(origin.superglobal.clone()),
            ..JsonSender::unknown()
        },
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
            // `mail(...$args)`: which argument is which is not known.
            arguments: (!call.spread).then_some(call.arguments.len()),
            headers: if call.spread {
                JsonHeaders::unknown()
            } else {
                headers_json(&call.headers)
            },
            envelope_sender: if call.spread {
                JsonSender::unknown()
            } else {
                params_json(&call.params)
            },
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
                headers: JsonHeaders::unknown(),
                envelope_sender: JsonSender::unknown(),
            }
        });
    let mut calls: Vec<JsonCall> = direct.chain(indirect).collect();
    calls.sort_by_key(|c| (c.line, c.column));
    calls
}

pub fn print_json(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let calls: Vec<JsonCall> = result.files.iter().flat_map(calls_of).collect();
    let document = Document {
        version: 1,
        files_scanned: result.files_scanned,
        calls,
        errors: super::json::errors(result),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// `absent`, `dynamic`, `unknown`, or `constant` and the value as JSON.
fn describe(kind: &str, value: Option<impl Serialize>) -> String {
    match value.and_then(|v| serde_json::to_string(&v).ok()) {
        Some(json) => format!("{kind} {json}"),
        None => kind.to_string(),
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
                describe(call.headers.kind, call.headers.value.as_ref()),
                describe(
                    call.envelope_sender.kind,
                    call.envelope_sender.value.as_ref()
                )
            )?;
        }
    }
    if !quiet {
        writeln!(
            out,
            "{total} mail-sending call{} found, {} file{} scanned in {:.2}s",
            if total == 1 { "" } else { "s" },
            result.files_scanned,
            if result.files_scanned == 1 { "" } else { "s" },
            result.elapsed.as_secs_f64()
        )?;
    }
    Ok(())
}
