//! The page's files, embedded in the binary: nothing is read from disk or
//! fetched from the network.

/// `(content type, body)` of the asset at `path`.
pub fn get(path: &str) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "/" | "/index.html" => ("text/html; charset=utf-8", include_str!("assets/index.html")),
        "/app.js" => ("text/javascript; charset=utf-8", include_str!("assets/app.js")),
        "/style.css" => ("text/css; charset=utf-8", include_str!("assets/style.css")),
        "/favicon.svg" => ("image/svg+xml", include_str!("assets/favicon.svg")),
        _ => return None,
    })
}
