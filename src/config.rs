//! `phpmailfix.toml`: the project or server configuration.
//!
//! ```toml
//! from = "contact@example.org"          # default sender
//! exclude = ["cache/**", "*.tpl.php"]   # added to --exclude
//! extensions = ["php", "inc"]           # replaces the default list
//!
//! [rules]                               # per rule: a severity, or "ignore"
//! missing-from-header = "info"
//! unanalyzable-mail-call = "ignore"
//!
//! [[sender]]                            # per-path senders, most specific wins
//! path = "client1/**"                   # relative to this file's folder
//! from = "contact@client1.fr"
//! ```
//!
//! The file is found by walking up from each scanned file's folder (the
//! nearest one wins), or given with `--config`; `exclude` and `extensions`
//! come from the file that applies to the first scanned path. Unknown keys
//! are errors that name the key and the file.

use crate::finding::Severity;
use crate::rules::Rule;
use crate::sender::Address;
use anyhow::{Context, Result, bail};
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const FILE_NAME: &str = "phpmailfix.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    from: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    extensions: Option<Vec<String>>,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    sender: Vec<RawSender>,
}

/// What `[rules]` says of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Severity(Severity),
    Ignore,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSender {
    path: String,
    from: String,
}

/// One `[[sender]]` entry.
#[derive(Clone, Debug)]
pub struct SenderEntry {
    pub pattern: String,
    matcher: GlobMatcher,
    pub from: Address,
}

impl SenderEntry {
    /// Characters before the first wildcard: the more, the more specific.
    fn specificity(&self) -> usize {
        self.pattern
            .find(['*', '?', '[', '{'])
            .unwrap_or(self.pattern.len())
    }
}

/// A loaded, validated configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    /// Its folder, absolute: `[[sender]]` paths are relative to it.
    pub dir: PathBuf,
    pub from: Option<Address>,
    pub senders: Vec<SenderEntry>,
    pub exclude: Vec<String>,
    /// Lower-case extensions without the dot; `None` keeps the default.
    pub extensions: Option<Vec<String>>,
    pub rules: Vec<(Rule, RuleSetting)>,
}

impl Config {
    pub fn load(file: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        Config::parse(&text, file)
    }

    pub fn parse(text: &str, file: &Path) -> Result<Config> {
        let raw: RawConfig =
            toml::from_str(text).with_context(|| format!("invalid {}", file.display()))?;
        let address = |text: &str, key: &str| {
            Address::parse(text).with_context(|| format!("{}: `{key}`", file.display()))
        };
        let from = raw
            .from
            .as_deref()
            .map(|f| address(f, "from"))
            .transpose()?;
        let mut senders = Vec::new();
        for (i, s) in raw.sender.iter().enumerate() {
            let key = format!("sender[{i}].from");
            let pattern = s.path.trim_start_matches("./").to_string();
            if pattern.is_empty() {
                bail!("{}: `sender[{i}].path` is empty", file.display());
            }
            let matcher = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .with_context(|| format!("{}: `sender[{i}].path`", file.display()))?
                .compile_matcher();
            senders.push(SenderEntry {
                pattern,
                matcher,
                from: address(&s.from, &key)?,
            });
        }
        let mut rules = Vec::new();
        for (id, setting) in &raw.rules {
            let Some(rule) = Rule::from_id(id) else {
                bail!(
                    "{}: unknown rule `{id}` in [rules] (known: {})",
                    file.display(),
                    Rule::ALL.map(Rule::id).join(", ")
                );
            };
            let setting = match setting.as_str() {
                "ignore" => RuleSetting::Ignore,
                other => RuleSetting::Severity(other.parse().map_err(|e: String| {
                    anyhow::anyhow!("{}: `rules.{id}`: {e}, or \"ignore\"", file.display())
                })?),
            };
            rules.push((rule, setting));
        }
        let extensions = raw.extensions.map(|list| {
            list.iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect()
        });
        let absolute = std::path::absolute(file)?;
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Config {
            file: file.to_path_buf(),
            dir,
            from,
            senders,
            exclude: raw.exclude,
            extensions,
            rules,
        })
    }

    /// What `[rules]` says of `rule`, if anything.
    pub fn rule_setting(&self, rule: Rule) -> Option<RuleSetting> {
        self.rules.iter().find(|(r, _)| *r == rule).map(|(_, s)| *s)
    }

    /// The sender for the file at `path`: the most specific matching
    /// `[[sender]]` entry (the last one on a tie), else `from`.
    pub fn sender_for(&self, path: &Path) -> Option<&Address> {
        let absolute = std::path::absolute(path).ok()?;
        let relative = absolute.strip_prefix(&self.dir).ok();
        self.senders
            .iter()
            .filter(|s| {
                // Like a .gitignore line, a pattern that names a folder
                // (`client1`, `/srv/www/client1`) covers what is inside it.
                let target = if s.pattern.starts_with('/') {
                    Some(absolute.as_path())
                } else {
                    relative
                };
                target.is_some_and(|t| {
                    t.ancestors()
                        .any(|a| !a.as_os_str().is_empty() && s.matcher.is_match(a))
                })
            })
            .max_by_key(|s| s.specificity())
            .map(|s| &s.from)
            .or(self.from.as_ref())
    }
}

/// Finds and caches the configuration for each folder.
#[derive(Debug, Default)]
pub struct ConfigFinder {
    explicit: Option<Arc<Config>>,
    cache: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
}

impl ConfigFinder {
    /// With `--config FILE`, that file applies everywhere.
    pub fn new(explicit: Option<&Path>) -> Result<ConfigFinder> {
        Ok(ConfigFinder {
            explicit: explicit.map(Config::load).transpose()?.map(Arc::new),
            cache: Mutex::default(),
        })
    }

    /// The configuration that applies in the folder `dir` (or the file).
    pub fn for_path(&self, path: &Path) -> Result<Option<Arc<Config>>> {
        if let Some(config) = &self.explicit {
            return Ok(Some(config.clone()));
        }
        let absolute = std::path::absolute(path)?;
        if absolute.is_dir() {
            self.for_dir(&absolute)
        } else {
            self.for_file(path)
        }
    }

    /// The configuration that applies to the file at `path`.
    pub fn for_file(&self, path: &Path) -> Result<Option<Arc<Config>>> {
        if let Some(config) = &self.explicit {
            return Ok(Some(config.clone()));
        }
        let absolute = std::path::absolute(path)?;
        let dir = absolute.parent().unwrap_or(&absolute).to_path_buf();
        self.for_dir(&dir)
    }

    fn for_dir(&self, dir: &Path) -> Result<Option<Arc<Config>>> {
        if let Some(found) = self.cache.lock().expect("not poisoned").get(dir) {
            return Ok(found.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some(Arc::new(Config::load(&candidate)?))
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            }
        };
        self.cache
            .lock()
            .expect("not poisoned")
            .insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/srv/www/phpmailfix.toml"))
    }

    #[test]
    fn the_most_specific_sender_wins_then_the_default() {
        let c = config(
            r#"
from = "admin@host.example"
[[sender]]
path = "client1/**"
from = "contact@client1.fr"
[[sender]]
path = "client1/shop/**"
from = "shop@client1.fr"
"#,
        )
        .unwrap();
        let at = |p: &str| c.sender_for(Path::new(p)).map(|a| a.as_str().to_string());
        assert_eq!(
            at("/srv/www/client1/index.php").as_deref(),
            Some("contact@client1.fr")
        );
        assert_eq!(
            at("/srv/www/client1/shop/cart.php").as_deref(),
            Some("shop@client1.fr")
        );
        assert_eq!(
            at("/srv/www/client2/index.php").as_deref(),
            Some("admin@host.example")
        );
    }

    #[test]
    fn rules_exclude_and_extensions_are_read() {
        let c = config(
            "exclude = [\"cache/**\"]\nextensions = [\".PHP\", \"inc\"]\n[rules]\nmissing-from-header = \"info\"\nunanalyzable-mail-call = \"ignore\"\n",
        )
        .unwrap();
        assert_eq!(c.exclude, ["cache/**"]);
        assert_eq!(
            c.extensions.as_deref(),
            Some(&["php".to_string(), "inc".to_string()][..])
        );
        assert_eq!(
            c.rule_setting(Rule::MissingFromHeader),
            Some(RuleSetting::Severity(Severity::Info))
        );
        assert_eq!(
            c.rule_setting(Rule::UnanalyzableMailCall),
            Some(RuleSetting::Ignore)
        );
        assert_eq!(c.rule_setting(Rule::MissingEnvelopeSender), None);
        let err = format!(
            "{:#}",
            config("[rules]\nmissing-form-header = \"info\"").unwrap_err()
        );
        assert!(
            err.contains("unknown rule `missing-form-header`") && err.contains("phpmailfix.toml"),
            "{err}"
        );
        let err = format!(
            "{:#}",
            config("[rules]\nmissing-from-header = \"loud\"").unwrap_err()
        );
        assert!(
            err.contains("rules.missing-from-header") && err.contains("ignore"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_addresses_are_errors_naming_the_file() {
        let err = format!("{:#}", config("form = \"a@b.fr\"").unwrap_err());
        assert!(
            err.contains("/srv/www/phpmailfix.toml") && err.contains("form"),
            "{err}"
        );
        let err = format!("{:#}", config("from = \"a b@c.fr\"").unwrap_err());
        assert!(
            err.contains("`from`") && err.contains("invalid sender address"),
            "{err}"
        );
    }
}
