//! Which files are scanned: `ignore`'s parallel walker with ripgrep's
//! conventions (`.gitignore`/`.ignore` honoured, hidden files skipped,
//! symlinks not followed), PHP extensions only, `--exclude` globs.

use anyhow::{Context, Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};

/// The extensions scanned by default.
pub const DEFAULT_EXTENSIONS: [&str; 9] = [
    "php", "php3", "php4", "php5", "php6", "php7", "php8", "phtml", "inc",
];

/// How to walk.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    pub paths: Vec<PathBuf>,
    pub hidden: bool,
    pub no_ignore: bool,
    pub follow: bool,
    /// Globs of paths to skip. A glob with a `/` is matched against the path
    /// relative to the argument it was found under; one without, against
    /// each file or directory name.
    pub exclude: Vec<String>,
    /// Lower-case extensions, without the dot.
    pub extensions: Vec<String>,
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            paths: vec![PathBuf::from(".")],
            hidden: false,
            no_ignore: false,
            follow: false,
            exclude: Vec::new(),
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            threads: 0,
        }
    }
}

/// Something the walk could not do, with the path when there is one.
#[derive(Clone, Debug)]
pub struct WalkProblem {
    pub path: Option<PathBuf>,
    pub message: String,
    /// Symlink loops are reported but do not make the run fail.
    pub fatal: bool,
}

/// The path as the user would type it: the argument's own prefix kept,
/// a leading `./` dropped.
pub fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

struct Excludes {
    by_path: GlobSet,
    by_name: GlobSet,
}

impl Excludes {
    fn new(globs: &[String]) -> Result<Excludes> {
        let mut by_path = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        for glob in globs {
            let pattern = glob.trim_end_matches('/');
            let compiled = globset::GlobBuilder::new(pattern.trim_start_matches('/'))
                .literal_separator(true)
                .build()
                .or_else(|_| Glob::new(pattern))
                .with_context(|| format!("invalid --exclude glob `{glob}`"))?;
            if pattern.contains('/') {
                by_path.add(compiled);
            } else {
                by_name.add(compiled);
            }
        }
        Ok(Excludes {
            by_path: by_path.build()?,
            by_name: by_name.build()?,
        })
    }

    fn excluded(&self, roots: &[PathBuf], path: &Path) -> bool {
        if path
            .file_name()
            .is_some_and(|name| self.by_name.is_match(name))
        {
            return true;
        }
        if self.by_path.is_empty() {
            return false;
        }
        roots
            .iter()
            .filter_map(|root| path.strip_prefix(root).ok())
            .any(|rel| !rel.as_os_str().is_empty() && self.by_path.is_match(rel))
    }
}

/// Walks `options.paths` in parallel and calls `visit(path)` for every file
/// to scan, from several threads. `init` builds each thread's state.
pub fn walk<S, I, V>(options: &WalkOptions, init: I, visit: V) -> Result<Vec<WalkProblem>>
where
    S: Send,
    I: Fn() -> S + Sync,
    V: Fn(&mut S, &Path) + Sync,
{
    for path in &options.paths {
        if std::fs::symlink_metadata(path).is_err() {
            bail!("{}: no such file or directory", path.display());
        }
    }
    let excludes = Excludes::new(&options.exclude)?;
    let (first, rest) = options.paths.split_first().context("no path to scan")?;
    let mut builder = WalkBuilder::new(first);
    for path in rest {
        builder.add(path);
    }
    builder
        .hidden(!options.hidden)
        .follow_links(options.follow)
        .threads(options.threads)
        .git_ignore(!options.no_ignore)
        .git_global(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .ignore(!options.no_ignore)
        .parents(!options.no_ignore);
    let roots = options.paths.clone();
    let problems = std::sync::Mutex::new(Vec::new());
    let record = |problem: WalkProblem| problems.lock().expect("not poisoned").push(problem);
    builder.build_parallel().run(|| {
        let mut state = init();
        let (excludes, roots, record, visit) = (&excludes, &roots, &record, &visit);
        let extensions = &options.extensions;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    record(problem_of(err));
                    return WalkState::Continue;
                }
            };
            let path = entry.path();
            let explicit = entry.depth() == 0;
            if !explicit && excludes.excluded(roots, path) {
                return WalkState::Skip;
            }
            let is_file =
                entry.file_type().is_some_and(|t| t.is_file()) || (explicit && path.is_file());
            if !is_file {
                return WalkState::Continue;
            }
            let wanted = explicit
                || path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
            if wanted {
                visit(&mut state, path);
            }
            WalkState::Continue
        })
    });
    Ok(problems.into_inner().expect("not poisoned"))
}

fn problem_of(err: ignore::Error) -> WalkProblem {
    fn find_path(err: &ignore::Error) -> Option<PathBuf> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path.clone()),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                find_path(err)
            }
            ignore::Error::Loop { child, .. } => Some(child.clone()),
            _ => None,
        }
    }
    fn is_loop(err: &ignore::Error) -> bool {
        match err {
            ignore::Error::Loop { .. } => true,
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
            _ => false,
        }
    }
    fn message(err: &ignore::Error) -> String {
        match err {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => message(err),
            ignore::Error::Loop { ancestor, .. } => {
                format!(
                    "symlink loop to {} (not followed)",
                    display_path(ancestor).display()
                )
            }
            other => other.to_string(),
        }
    }
    WalkProblem {
        path: find_path(&err).map(|p| display_path(&p)),
        message: message(&err),
        fatal: !is_loop(&err),
    }
}
