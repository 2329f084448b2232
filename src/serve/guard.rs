//! Who may talk to the server: the Host and Origin checks.
//!
//! - **Host** (every request): `localhost`, an IP address literal, or the
//!   name given with `--host`, and the port the server listens on. A
//!   DNS-rebinding page reaches the server under its own domain name, so
//!   its requests carry that name and are refused.
//! - **Origin** (every request that is not GET or HEAD): absent (a
//!   command-line client such as curl) or exactly `http://` + the Host
//!   header, i.e. this page itself. A form or script on another site, or
//!   on another local port, is refused; so is `Origin: null` (sandboxed
//!   frames, `file://` pages). Without an Origin header, a
//!   `Sec-Fetch-Site` other than `same-origin` or `none` is refused too.

use std::net::IpAddr;

/// The allowed Host names and port of one running server.
#[derive(Clone, Debug)]
pub struct Guard {
    /// The port the server listens on.
    pub port: u16,
    /// The `--host` value, lower-cased (also allowed as a Host name).
    pub host: String,
}

/// The request headers the guard looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct Headers<'a> {
    /// `Host`.
    pub host: Option<&'a str>,
    /// `Origin`.
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`.
    pub sec_fetch_site: Option<&'a str>,
}

impl Guard {
    /// A guard for a server listening on `host`:`port`.
    pub fn new(host: &str, port: u16) -> Guard {
        Guard { port, host: host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase() }
    }

    /// `Ok` when a request with `method` and `headers` may be served, else
    /// the reason it is refused.
    pub fn admit(&self, method: &str, headers: Headers) -> Result<(), String> {
        let host = headers.host.ok_or("the request has no Host header")?;
        if !self.allowed_host(host) {
            return Err(format!(
                "Host `{host}` is not this server (only localhost or an IP address, port {})",
                self.port
            ));
        }
        if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
            return Ok(());
        }
        match headers.origin {
            Some(origin) => {
                let same = origin.strip_prefix("http://").is_some_and(|rest| rest.eq_ignore_ascii_case(host));
                if same {
                    Ok(())
                } else {
                    Err(format!("cross-origin request from `{origin}` refused"))
                }
            }
            None => match headers.sec_fetch_site {
                None | Some("same-origin") | Some("none") => Ok(()),
                Some(site) => Err(format!("cross-site request ({site}) refused")),
            },
        }
    }

    /// Whether a Host header value names this server.
    fn allowed_host(&self, value: &str) -> bool {
        let Some((name, port)) = split_host_port(value) else { return false };
        if port != Some(self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        name == "localhost" || name == self.host || name.parse::<IpAddr>().is_ok()
    }
}

/// Splits `name:port` or `[v6]:port` (the port is optional).
fn split_host_port(value: &str) -> Option<(&str, Option<u16>)> {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after {
            "" => Some((name, None)),
            _ => Some((name, Some(after.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match value.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => Some((name, Some(port.parse().ok()?))),
        Some(_) => None,
        None => Some((value, None)),
    }
    .filter(|(name, _)| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(host: &str) -> Headers<'_> {
        Headers { host: Some(host), ..Headers::default() }
    }

    #[test]
    fn host_must_be_local_with_our_port() {
        let guard = Guard::new("127.0.0.1", 8787);
        for ok in ["127.0.0.1:8787", "localhost:8787", "LOCALHOST:8787", "[::1]:8787", "192.168.0.5:8787"] {
            assert_eq!(guard.admit("GET", get(ok)), Ok(()), "{ok}");
        }
        for bad in ["evil.example:8787", "127.0.0.1:8788", "localhost", "127.0.0.1", "", "[::1", "a:b:c"] {
            assert!(guard.admit("GET", get(bad)).is_err(), "{bad}");
        }
        assert!(guard.admit("GET", Headers::default()).unwrap_err().contains("no Host"));
    }

    #[test]
    fn the_host_flag_name_is_allowed() {
        let guard = Guard::new("Clinic-PC.local", 9000);
        assert_eq!(guard.admit("GET", get("clinic-pc.local:9000")), Ok(()));
        assert!(guard.admit("GET", get("other.local:9000")).is_err());
        assert_eq!(Guard::new("[::1]", 1).host, "::1");
    }

    #[test]
    fn posts_must_come_from_the_page_itself() {
        let guard = Guard::new("127.0.0.1", 8787);
        let post = |origin: Option<&'static str>, site: Option<&'static str>| {
            guard.admit("POST", Headers { host: Some("127.0.0.1:8787"), origin, sec_fetch_site: site })
        };
        assert_eq!(post(Some("http://127.0.0.1:8787"), Some("same-origin")), Ok(()));
        assert_eq!(post(None, None), Ok(()), "curl sends no Origin");
        assert!(post(Some("http://evil.example"), Some("cross-site")).is_err());
        assert!(post(Some("http://localhost:8787"), None).is_err(), "another origin than the Host");
        assert!(post(Some("http://127.0.0.1:3000"), Some("same-site")).is_err(), "another local port");
        assert!(post(Some("null"), None).is_err());
        assert!(post(Some("https://127.0.0.1:8787"), None).is_err());
        assert!(post(None, Some("cross-site")).is_err());
        assert!(post(None, Some("same-site")).is_err());
    }
}
