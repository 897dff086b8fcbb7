//! The review server over HTTP: the token, Host and Origin checks, edits saved to the
//! project file at once (a restart resumes them), stale and malformed requests refused.

mod common;

use common::seed;

use duiqi::{AlignOptions, Aligner};
use duiqi_review::server::{Running, start};
use duiqi_review::{Project, ReviewBead};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;

/// One HTTP/1.1 request, written by hand so that any Host or Origin can be sent.
fn request(server: &Running, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
        head += &format!("Host: {}\r\n", server.addr);
    }
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    if !body.is_empty() {
        head += "Content-Type: application/json\r\n";
    }
    stream.write_all(format!("{head}\r\n{body}").as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn with_token(server: &Running) -> Vec<(&'static str, String)> {
    vec![("x-duiqi-token", server.token.clone())]
}

fn get(server: &Running, path: &str) -> (u16, String) {
    let token = with_token(server);
    request(server, "GET", path, &[(token[0].0, token[0].1.as_str())], "")
}

fn post(server: &Running, path: &str, body: &str) -> (u16, String) {
    let token = with_token(server);
    request(server, "POST", path, &[(token[0].0, token[0].1.as_str())], body)
}

fn revision(view: &str) -> u64 {
    serde_json::from_str::<serde_json::Value>(view).unwrap()["revision"].as_u64().unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("duiqi-server-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("seed.duiqi.json")
}

#[test]
fn only_this_servers_own_page_with_the_token_gets_in() {
    let path = scratch("guard");
    let server = start(seed(), path, Aligner::new(AlignOptions::default()).unwrap(), 0).unwrap();
    assert!(server.addr.ip().is_loopback());
    assert_eq!(request(&server, "GET", "/api/project", &[], "").0, 401);
    assert_eq!(request(&server, "GET", "/api/project?token=wrong", &[], "").0, 401);
    assert_eq!(request(&server, "GET", &format!("/api/project?token={}", server.token), &[], "").0, 200);
    let token = server.token.clone();
    let evil_host = [("Host", "evil.example:80"), ("x-duiqi-token", token.as_str())];
    assert_eq!(request(&server, "GET", "/api/project", &evil_host, "").0, 403);
    let evil_origin = [("Origin", "http://evil.example"), ("x-duiqi-token", token.as_str())];
    assert_eq!(request(&server, "GET", "/api/project", &evil_origin, "").0, 403);
    let own_origin = format!("http://{}", server.addr);
    let own = [("Origin", own_origin.as_str()), ("x-duiqi-token", token.as_str())];
    assert_eq!(request(&server, "GET", "/api/project", &own, "").0, 200);
    server.stop().unwrap();
}

#[test]
fn edits_are_saved_at_once_and_a_restart_resumes_them() {
    let path = scratch("edits");
    let server = start(seed(), path.clone(), Aligner::new(AlignOptions::default()).unwrap(), 0).unwrap();
    let (status, view) = get(&server, "/api/project");
    assert_eq!(status, 200);
    let first = revision(&view);
    let edit = format!(r#"{{"revision": {first}, "edit": {{"op": "merge_next", "bead": 0}}}}"#);
    let (status, view) = post(&server, "/api/edit", &edit);
    assert_eq!(status, 200, "{view}");
    let merged: serde_json::Value = serde_json::from_str(&view).unwrap();
    let saved = Project::load(&path).unwrap();
    let shown: Vec<ReviewBead> = serde_json::from_value(merged["beads"].clone()).unwrap();
    assert_eq!(saved.beads, shown);
    // The same edit from a page that has not seen the change: refused, nothing changes.
    let (status, message) = post(&server, "/api/edit", &edit);
    assert_eq!(status, 409, "{message}");
    assert!(message.contains("changed elsewhere"));
    // Malformed, refused and oversized requests get 4xx and a reason.
    assert!((400..500).contains(&post(&server, "/api/edit", "{not json").0));
    let refused = format!(r#"{{"revision": {}, "edit": {{"op": "merge_next", "bead": 999}}}}"#, revision(&view));
    let (status, message) = post(&server, "/api/edit", &refused);
    assert_eq!(status, 422);
    assert!(message.contains("no bead"), "{message}");
    assert_eq!(post(&server, "/api/edit", &" ".repeat(100_000)).0, 413);
    let (status, why) = get(&server, "/api/explain?bead=1");
    assert_eq!(status, 200, "{why}");
    let why: serde_json::Value = serde_json::from_str(&why).unwrap();
    let total: f64 = why["shares"].as_array().unwrap().iter().map(|s| s[1].as_f64().unwrap()).sum();
    assert!((total - why["score"].as_f64().unwrap()).abs() < 1e-3, "{why}");
    assert!(!why["links"].as_array().unwrap().is_empty(), "the seed's second bead shares words: {why}");
    assert_eq!(get(&server, "/api/explain?bead=999").0, 404);
    let (status, tmx) = get(&server, "/api/export?format=tmx");
    assert_eq!(status, 200);
    assert_eq!(tmx.matches("<tu>").count(), saved.beads.len());
    server.stop().unwrap();

    // A new server on the saved file: the edit is there, and undo takes it back.
    let resumed = Project::load(&path).unwrap();
    assert_eq!(resumed, saved);
    let server = start(resumed, path.clone(), Aligner::new(AlignOptions::default()).unwrap(), 0).unwrap();
    let body = format!(r#"{{"revision": {}}}"#, saved.revision);
    let (status, view) = post(&server, "/api/undo", &body);
    assert_eq!(status, 200, "{view}");
    assert_eq!(Project::load(&path).unwrap().beads, seed().beads);
    server.stop().unwrap();
}

#[test]
fn a_sentence_edit_returns_the_new_texts_and_explains_them() {
    let path = scratch("sentences");
    let project = seed();
    let (bead, sentence) = (0, project.beads[0].bead.tgt.start);
    let server = start(project, path.clone(), Aligner::new(AlignOptions::default()).unwrap(), 0).unwrap();
    let before: serde_json::Value = serde_json::from_str(&get(&server, "/api/explain?bead=0").1).unwrap();
    let (_, view) = get(&server, "/api/project");
    let text = "In 1944 the Soviet Union was in Xinjiang.\nSheng Shicai left.";
    let edit = serde_json::json!({ "revision": revision(&view), "edit": {
        "op": "edit_sentence", "target": true, "sentence": sentence, "text": text } });
    let (status, view) = post(&server, "/api/edit", &edit.to_string());
    assert_eq!(status, 200, "{view}");
    let view: serde_json::Value = serde_json::from_str(&view).unwrap();
    let sentences = view["tgt"]["sentences"].as_array().expect("a text edit returns the sentences");
    assert_eq!(sentences[sentence], "In 1944 the Soviet Union was in Xinjiang.");
    assert_eq!(sentences[sentence + 1], "Sheng Shicai left.");
    assert_eq!(Project::load(&path).unwrap().tgt.sentences[sentence + 1].text, "Sheng Shicai left.");
    let after: serde_json::Value = serde_json::from_str(&get(&server, &format!("/api/explain?bead={bead}")).1).unwrap();
    assert_ne!(before["links"], after["links"], "links are found in the edited text");
    let to_new_name = |l: &&serde_json::Value| {
        l["kind"] == "name" && l["tgt"]["sentence"] == sentence + 1 && l["tgt"]["start"] == 0 && l["tgt"]["end"] == 12
    };
    assert!(after["links"].as_array().unwrap().iter().any(|l| to_new_name(&l)), "盛世才 ↔ Sheng Shicai: {after}");
    server.stop().unwrap();
}
