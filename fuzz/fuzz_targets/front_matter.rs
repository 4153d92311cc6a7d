//! The front matter splitter and parser, and the checks of a post against the site, on any
//! bytes: no panic, and every diagnostic renders.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use playpress::Config;
use playpress::{SourceFile, normalize};
use playpress::{Kind, parse_document};

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            "title: Fuzz\nbase_url: https://example.com/blog/\ntimezone: Asia/Hong_Kong\n",
            Path::new("config.yaml"),
        )
        .unwrap_or_else(|e| panic!("fuzz config: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        path: PathBuf::from("content/posts/fuzz.md"),
        text: normalize(text.to_string()).into(),
    };
    for kind in [Kind::Post, Kind::Page, Kind::SeriesDescription] {
        let mut warnings = Vec::new();
        let result = parse_document(&file, "2024-01-02-fuzz", kind, config(), &mut warnings);
        for d in &warnings {
            let _ = d.render();
        }
        if let Err(errors) = result {
            for d in &errors {
                let _ = d.render();
            }
        }
    }
    // The config parser shares the YAML layer.
    let _ = Config::parse(text, Path::new("config.yaml")).map_err(|e| e.to_string());
});
