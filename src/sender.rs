//! Which envelope sender a call gets, from one place. Per call, in order:
//! 1. the call's own constant `From:` header;
//! 2. `phpmailfix.toml`: the most specific `[[sender]]` entry whose glob
//!    matches the file, else its default `from`;
//! 3. `--from ADDR`.
//!
//! Every address is validated before any code is generated with it, so no
//! CR/LF, quote, space, backslash or shell metacharacter can reach generated
//! PHP or sendmail's command line.

use crate::config::ConfigFinder;
use crate::model::{Headers, MailCall, header_value};
use anyhow::{Result, bail};
use std::fmt;
use std::path::Path;

/// A validated, plain `local@domain` address: ASCII letters, digits and
/// `._+-` in the local part, dot-separated labels of letters, digits and
/// `-` in the domain. Safe inside single or double PHP quotes and on a
/// shell command line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Address(String);

impl Address {
    pub fn parse(text: &str) -> Result<Address> {
        let why = Self::problem(text);
        match why {
            None => Ok(Address(text.to_string())),
            Some(why) => bail!("invalid sender address {text:?}: {why}"),
        }
    }

    fn problem(text: &str) -> Option<&'static str> {
        if text.bytes().any(|b| b == b'\r' || b == b'\n') {
            return Some("it contains a line break");
        }
        let Some((local, domain)) = text.split_once('@') else {
            return Some("expected local@domain");
        };
        if local.is_empty() || local.len() > 64 {
            return Some("the part before @ must have 1 to 64 characters");
        }
        if !local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b))
        {
            return Some(
                "only letters, digits and . _ + - are allowed before @ (no quotes, spaces, backslashes or shell metacharacters)",
            );
        }
        if local.starts_with(['.', '-']) || local.ends_with('.') || local.contains("..") {
            return Some("the part before @ cannot start with . or -, end with . or contain ..");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || domain.len() > 253 {
            return Some("the domain must have at least two labels, like example.org");
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !labels.iter().all(|l| label_ok(l)) {
            return Some("the domain may only hold letters, digits, - and dots between labels");
        }
        None
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The address in a `From:` header value: `Name <addr>`, `"Name" <addr>`
/// or a bare `addr`. `None` when it is not a valid plain address.
/// The display name may be in any encoding (ISO-8859-1 in old files); only
/// the address itself must be ASCII.
pub fn address_in_from(value: &[u8]) -> Option<Address> {
    let value = value.trim_ascii();
    let inner = match memchr::memrchr(b'<', value) {
        Some(open) => value[open + 1..].strip_suffix(b">")?,
        None => value,
    };
    Address::parse(std::str::from_utf8(inner.trim_ascii()).ok()?).ok()
}

/// Where a call's address came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The call's own constant From header: only `-f` is added.
    CallFromHeader,
    /// A `[[sender]]` entry or the default of `phpmailfix.toml`.
    Config,
    /// `--from`.
    CommandLine,
}

/// Resolves addresses for calls.
#[derive(Debug, Default)]
pub struct SenderResolver {
    pub configs: ConfigFinder,
    pub from: Option<Address>,
}

impl SenderResolver {
    /// The address for `call` in the file at `path`. Errors come from a
    /// configuration file that cannot be read or is invalid.
    pub fn resolve(&self, call: &MailCall, path: &Path) -> Result<Option<(Address, Source)>> {
        if let Some(address) = own_from_address(&call.headers) {
            return Ok(Some((address, Source::CallFromHeader)));
        }
        self.for_path(path)
    }

    /// The configured address for a file, without looking at any call.
    pub fn for_path(&self, path: &Path) -> Result<Option<(Address, Source)>> {
        if let Some(config) = self.configs.for_file(path)?
            && let Some(address) = config.sender_for(path)
        {
            return Ok(Some((address.clone(), Source::Config)));
        }
        Ok(self.from.clone().map(|a| (a, Source::CommandLine)))
    }
}

/// The valid address of a call's own constant From header.
pub fn own_from_address(headers: &Headers) -> Option<Address> {
    match headers {
        Headers::Text(text) => header_value(text, b"from").and_then(address_in_from),
        Headers::Array(entries) => entries
            .iter()
            .find(|(name, _)| name.trim_ascii().eq_ignore_ascii_case(b"from"))
            .and_then(|(_, value)| address_in_from(value)),
        Headers::Absent | Headers::Keys(_) | Headers::Dynamic => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_accepted() {
        for ok in [
            "contact@client.fr",
            "no-reply+site@mail.example.org",
            "a.b_c@x-y.io",
        ] {
            assert!(Address::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn dangerous_or_malformed_addresses_are_refused() {
        for bad in [
            "",
            "contact",
            "contact@localhost",
            "a b@x.fr",
            "a@x.fr\r\nBcc: victim@y.fr",
            "\"a\"@x.fr",
            "a'@x.fr",
            "a\\@x.fr",
            "a@x.fr -X/tmp/log",
            "a;rm@x.fr",
            "a$(id)@x.fr",
            "-oQ/tmp@x.fr",
            "a@-x.fr",
            "a@x..fr",
            "a@b@x.fr",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn from_header_values_yield_their_address() {
        assert_eq!(
            address_in_from(b"Contact <contact@client.fr>")
                .unwrap()
                .as_str(),
            "contact@client.fr"
        );
        assert_eq!(
            address_in_from(b" contact@client.fr ").unwrap().as_str(),
            "contact@client.fr"
        );
        assert!(address_in_from(b"\"Me\" <me@x.fr>, other@y.fr").is_none());
        assert_eq!(
            address_in_from(b"Soci\xe9t\xe9 <contact@societe.fr>")
                .unwrap()
                .as_str(),
            "contact@societe.fr"
        );
    }
}
