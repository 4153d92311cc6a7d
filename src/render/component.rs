//! Components in bodies: `components/<name>.html` rendered with the call's checked arguments
//! and the HTML of its inside, and for a `src` (or `poster`) argument the picture it names,
//! sized, with its URL as the page links it.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::site::PictureView;
use crate::markdown::components::{FOLDER, Value};

/// What a component's template sees.
#[derive(Debug, Clone, Serialize)]
struct ComponentContext<'a> {
    /// The arguments of the call, as checked against the template's `{# args: ... #}`.
    args: &'a BTreeMap<String, Value>,
    /// The HTML of the inside of a block call, the text of an inline call's `[...]`.
    body: &'a str,
    /// The picture a `src` argument names, as pages show it (with its size when the site
    /// has the file).
    picture: Option<PictureView>,
    /// The same for a `poster` argument (a video's).
    poster: Option<PictureView>,
    /// No picture comes before the call on the page: a picture it shows loads at once.
    first: bool,
}

impl Renderer<'_> {
    /// The HTML of component `name` called with `args` around `body`, in a body shown at
    /// site path `page`; the template's error when it fails.
    pub(super) fn component(
        &self,
        page: &str,
        name: &str,
        (args, body): (&BTreeMap<String, Value>, &str),
        first: bool,
    ) -> Result<String, String> {
        let view = |key: &str| match args.get(key) {
            Some(Value::Text(src)) => Some(self.picture_view(page, src)),
            _ => None,
        };
        let context = ComponentContext {
            args,
            body,
            picture: view("src"),
            poster: view("poster"),
            first,
        };
        let mut context = Context::from_serialize(&context).map_err(|e| e.to_string())?;
        context.insert_value("site", self.site_value.clone());
        self.tera
            .render(&format!("{FOLDER}{name}.html"), &context)
            .map_err(|e| e.to_string())
    }
}
