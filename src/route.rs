//! Hash routes, pure parse and format: `#/`, `#/lesson/<slug>`, `#/widget/<kind>?key=value&seed=N`,
//! `#/build?design=...` (the builder, a `system` widget with the same query). A long text setting
//! is written `design~=1…` where that is shorter (`crate::pack`); both forms are read.
//! Hash routing keeps every page on `index.html`, so the site works from any static host, under
//! any sub-path, and every URL survives a reload.

/// Query keys that are not scenario parameters.
pub const RESERVED: &[&str] = &["seed", "embed", "theme", "log", "t"];

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Lesson(String),
    Widget(WidgetRoute),
    /// The builder: a `system` widget whose design the reader edits (`#/build?design=...`).
    Build(WidgetRoute),
    NotFound(String),
}

/// The standalone widget page and its state, as raw (unchecked) strings from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WidgetRoute {
    pub kind: String,
    /// Scenario parameters in URL order.
    pub pairs: Vec<(String, String)>,
    pub seed: Option<String>,
    /// Render the widget alone (for iframes).
    pub embed: bool,
    /// `light`, `dark` or `auto`.
    pub theme: Option<String>,
    /// Interventions so far (`<us>@<command>` joined by `~`).
    pub log: Option<String>,
    /// Playhead in microseconds.
    pub at: Option<String>,
}

impl Route {
    /// Parse `location.hash` (with or without the leading `#`). Never fails.
    pub fn parse(hash: &str) -> Route {
        let h = hash.strip_prefix('#').unwrap_or(hash);
        let h = h.strip_prefix('/').unwrap_or(h);
        let (path, query) = h.split_once('?').unwrap_or((h, ""));
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Home,
            ["lesson", slug] => Route::Lesson(decode(slug)),
            ["widget", kind] => Route::Widget(WidgetRoute::from_query(decode(kind), query)),
            ["build"] => Route::Build(WidgetRoute::from_query("system".into(), query)),
            _ => Route::NotFound(decode(h)),
        }
    }

    /// The hash for this route, starting with `#/`.
    pub fn to_hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Lesson(s) => format!("#/lesson/{}", encode(s)),
            Route::Widget(w) => w.to_hash(),
            Route::Build(w) => {
                let h = w.to_hash();
                let q = h.split_once('?').map_or("", |(_, q)| q);
                if q.is_empty() {
                    "#/build".into()
                } else {
                    format!("#/build?{q}")
                }
            }
            Route::NotFound(p) => format!("#/{}", encode(p)),
        }
    }
}

impl WidgetRoute {
    fn from_query(kind: String, query: &str) -> WidgetRoute {
        let mut w = WidgetRoute {
            kind,
            ..Default::default()
        };
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let (k, v) = (decode(k), decode(v));
            match k.as_str() {
                "seed" => w.seed = Some(v),
                "embed" => w.embed = v != "0",
                "theme" => w.theme = Some(v),
                "log" => w.log = Some(v),
                "t" => w.at = Some(v),
                _ => w.pairs.push(crate::pack::read_pair(k, v)),
            }
        }
        w
    }

    /// `#/widget/<kind>?params&seed=N[&log=..][&t=..][&embed=1][&theme=..]`.
    pub fn to_hash(&self) -> String {
        let mut q: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, v)| match crate::pack::write_pair(k, v, false) {
                Some((k, v)) => format!("{}={}", encode(&k), encode(&v)),
                None => format!("{}={}", encode(k), encode(v)),
            })
            .collect();
        let extra = [
            ("seed", &self.seed),
            ("log", &self.log),
            ("t", &self.at),
            ("theme", &self.theme),
        ];
        for (k, v) in extra {
            if let Some(v) = v {
                q.push(format!("{k}={}", encode(v)));
            }
        }
        if self.embed {
            q.push("embed=1".into());
        }
        let mut s = format!("#/widget/{}", encode(&self.kind));
        if !q.is_empty() {
            s += "?";
            s += &q.join("&");
        }
        s
    }
}

/// Percent-encode everything but unreserved characters and a few readable separators.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,:@|!*".contains(&b) {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

/// Decode percent-escapes and `+`; invalid escapes stay as written, invalid UTF-8 is replaced.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match bytes[i] {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(a), Some(b)) => {
                    out.push((a * 16 + b) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pages() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#/lesson/welcome"),
            Route::Lesson("welcome".into())
        );
        assert_eq!(Route::parse("#/nope/x"), Route::NotFound("nope/x".into()));
        let Route::Widget(w) =
            Route::parse("#/widget/topology?nodes=6&loss=0.1&seed=3&embed=1&theme=dark")
        else {
            panic!("not a widget route");
        };
        assert_eq!(w.kind, "topology");
        assert_eq!(
            w.pairs,
            vec![("nodes".into(), "6".into()), ("loss".into(), "0.1".into())]
        );
        assert_eq!(
            (w.seed.as_deref(), w.embed, w.theme.as_deref()),
            (Some("3"), true, Some("dark"))
        );
    }

    #[test]
    fn round_trips() {
        let w = WidgetRoute {
            kind: "topology".into(),
            pairs: vec![
                ("partition".into(), "0,1|2,3".into()),
                ("note".into(), "a b&c=d#e%".into()),
            ],
            seed: Some("9".into()),
            log: Some("1500@cut:3~2000@crash:1".into()),
            at: Some("2500".into()),
            ..Default::default()
        };
        let r = Route::Widget(w);
        assert_eq!(Route::parse(&r.to_hash()), r);
        let b = Route::Build(WidgetRoute {
            kind: "system".into(),
            pairs: vec![(
                "design".into(),
                "users: clients\napi: service; users -> api".into(),
            )],
            seed: Some("3".into()),
            ..Default::default()
        });
        // A design is written compact where that is shorter; the plain form reads the same.
        assert!(
            b.to_hash().starts_with("#/build?design~=1"),
            "{}",
            b.to_hash()
        );
        assert_eq!(Route::parse(&b.to_hash()), b);
        let plain =
            "#/build?design=users%3A%20clients%0Aapi%3A%20service%3B%20users%20-%3E%20api&seed=3";
        assert_eq!(Route::parse(plain), b);
        assert_eq!(
            Route::parse("#/build?design=a%3A%20service").to_hash(),
            "#/build?design=a:%20service"
        );
        assert_eq!(Route::parse("#/build").to_hash(), "#/build");
        assert_eq!(Route::Lesson("café".into()).to_hash(), "#/lesson/caf%C3%A9");
        assert_eq!(
            Route::parse("#/lesson/caf%C3%A9"),
            Route::Lesson("café".into())
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        for h in [
            "#/widget/%",
            "#/widget/%zz?%=%&&=&seed",
            "#/lesson/%FF%FE",
            "#////",
            "#/widget/x?embed",
        ] {
            let _ = Route::parse(h).to_hash();
        }
        assert_eq!(decode("%3Cscript%3E"), "<script>");
        assert_eq!(decode("%E2%82"), "\u{FFFD}");
    }
}
