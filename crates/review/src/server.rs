//! The review server: a thin HTTP face over [`Project`]. It binds to 127.0.0.1 only, asks
//! for a random token on every request, checks Host and Origin so that no other web page
//! can drive it, opens no path a browser sends, limits request bodies, and saves the
//! project file after every change.

use crate::project::{Edit, Project, ReviewBead};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use duiqi::{Aligner, Explainer, Format, Place};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Request bodies above this are refused: an edit is a few dozen bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every request handler shares.
struct Shared {
    token: String,
    port: u16,
    path: PathBuf,
    aligner: Aligner,
    project: Mutex<Project>,
    /// The scorer of the pair, made on the first question (it takes an alignment) and
    /// again after the texts change, with the text revision it was made for.
    explainer: Mutex<Option<(u64, Arc<Explainer>)>>,
}

/// A running review server.
pub struct Running {
    /// The address it listens on (127.0.0.1 and a free port).
    pub addr: SocketAddr,
    /// The token every request must carry.
    pub token: String,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Running {
    /// The address to open in a browser, token included.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.addr, self.token)
    }

    /// Serves until the process ends.
    pub fn wait(self) -> std::io::Result<()> {
        self.thread.join().unwrap_or_else(|_| Err(std::io::Error::other("the review server stopped")))
    }

    /// Stops serving (in-flight requests finish) and waits for the server to end.
    pub fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(());
        self.thread.join().unwrap_or_else(|_| Err(std::io::Error::other("the review server stopped")))
    }
}

/// Starts serving `project`, saved to `path` after every change, on 127.0.0.1 (`port` 0:
/// a free one), in a thread of its own.
pub fn start(project: Project, path: PathBuf, aligner: Aligner, port: u16) -> std::io::Result<Running> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let token = random_token()?;
    let shared = Arc::new(Shared {
        token: token.clone(),
        port: addr.port(),
        path,
        aligner,
        project: Mutex::new(project),
        explainer: Mutex::new(None),
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_io().build()?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, router(shared))
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        })
    });
    Ok(Running { addr, token, thread, stop })
}

fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/project", get(project))
        .route("/api/edit", post(edit))
        .route("/api/undo", post(undo))
        .route("/api/redo", post(redo))
        .route("/api/realign", post(realign))
        .route("/api/export", get(export))
        .route("/api/explain", get(explain))
        .route("/api/glossary", get(glossary))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// The page, one file: its style and script inlined (served from the binary).
async fn page() -> Response {
    let html = include_str!("../page/index.html")
        .replace("/*STYLE*/", include_str!("../page/style.css"))
        .replace("/*SCRIPT*/", include_str!("../page/app.js"));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

/// A refusal with its reason, as JSON.
fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// Lets through only requests for this server (Host), from its own page or no page
/// (Origin), that carry the token (`?token=` or the `x-duiqi-token` header).
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    match allowed(&shared, request.headers(), request.uri().query()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal,
    }
}

fn allowed(shared: &Shared, headers: &HeaderMap, query: Option<&str>) -> Result<(), Response> {
    let ours = [format!("127.0.0.1:{}", shared.port), format!("localhost:{}", shared.port)];
    let header_value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if !header_value(header::HOST.as_str()).is_some_and(|host| ours.iter().any(|o| o == host)) {
        return Err(refuse(StatusCode::FORBIDDEN, "unexpected Host"));
    }
    if let Some(origin) = header_value(header::ORIGIN.as_str())
        && !ours.iter().any(|o| origin == format!("http://{o}"))
    {
        return Err(refuse(StatusCode::FORBIDDEN, "requests from other pages are refused"));
    }
    let in_query =
        query.into_iter().flat_map(|q| q.split('&')).any(|pair| pair.strip_prefix("token=") == Some(&shared.token));
    if !(in_query || header_value("x-duiqi-token") == Some(shared.token.as_str())) {
        return Err(refuse(StatusCode::UNAUTHORIZED, "a valid token is required (open the URL duiqi printed)"));
    }
    Ok(())
}

/// The project as the page shows it.
#[derive(Serialize)]
struct View<'a> {
    revision: u64,
    src: SideView<'a>,
    tgt: SideView<'a>,
    beads: &'a [ReviewBead],
}

#[derive(Serialize)]
struct SideView<'a> {
    name: &'a str,
    language: &'a str,
    sentences: Vec<&'a str>,
}

fn view(project: &Project) -> Response {
    fn side(side: &crate::project::Side) -> SideView<'_> {
        SideView {
            name: &side.name,
            language: side.language.code(),
            sentences: side.sentences.iter().map(|s| s.text.as_str()).collect(),
        }
    }
    Json(View { revision: project.revision, src: side(&project.src), tgt: side(&project.tgt), beads: &project.beads })
        .into_response()
}

/// After a change: the beads and the revision (the sentences have not changed).
fn beads(project: &Project) -> Response {
    Json(serde_json::json!({ "revision": project.revision, "beads": project.beads })).into_response()
}

async fn project(State(shared): State<Arc<Shared>>) -> Response {
    view(&shared.project.lock().unwrap_or_else(|e| e.into_inner()))
}

/// A change asked for at the revision the page last saw.
#[derive(Deserialize)]
struct Change<T> {
    revision: u64,
    #[serde(flatten)]
    what: T,
}

#[derive(Deserialize)]
struct EditBody {
    edit: Edit,
}

#[derive(Deserialize)]
struct NoBody {}

/// Applies `change` to the project at `revision` (refused when another page changed it
/// since), saves the file and returns the new state.
async fn changed(
    shared: Arc<Shared>,
    revision: u64,
    change: impl FnOnce(&mut Project, &Aligner) -> Result<(), String> + Send + 'static,
) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        let mut project = shared.project.lock().unwrap_or_else(|e| e.into_inner());
        if project.revision != revision {
            return Err(refuse(
                StatusCode::CONFLICT,
                format!("the project changed elsewhere (revision {}); reload", project.revision),
            ));
        }
        let text_revision = project.text_revision;
        change(&mut project, &shared.aligner).map_err(|why| refuse(StatusCode::UNPROCESSABLE_ENTITY, why))?;
        project.save(&shared.path).map_err(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(if project.text_revision == text_revision { beads(&project) } else { view(&project) })
    })
    .await;
    match result {
        Ok(Ok(response) | Err(response)) => response,
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the change failed"),
    }
}

async fn edit(State(shared): State<Arc<Shared>>, Json(body): Json<Change<EditBody>>) -> Response {
    let edit = body.what.edit;
    changed(shared, body.revision, move |project, _| project.apply(&edit).map_err(|e| e.to_string())).await
}

async fn undo(State(shared): State<Arc<Shared>>, Json(body): Json<Change<NoBody>>) -> Response {
    changed(shared, body.revision, |project, _| project.undo().then_some(()).ok_or("nothing to undo".into())).await
}

async fn redo(State(shared): State<Arc<Shared>>, Json(body): Json<Change<NoBody>>) -> Response {
    changed(shared, body.revision, |project, _| project.redo().then_some(()).ok_or("nothing to redo".into())).await
}

async fn realign(State(shared): State<Arc<Shared>>, Json(body): Json<Change<NoBody>>) -> Response {
    changed(shared, body.revision, |project, aligner| project.realign(aligner).map_err(|e| e.to_string())).await
}

#[derive(Deserialize)]
struct ExplainQuery {
    bead: usize,
}

/// Each signal's share of a bead's score (why the aligner, or the scorer for a bead the
/// reviewer made, rates it as it does) and what links its two sides, as UTF-16 ranges of
/// the sentences for the page.
async fn explain(State(shared): State<Arc<Shared>>, Query(query): Query<ExplainQuery>) -> Response {
    let answer = tokio::task::spawn_blocking(move || {
        let (bead, src, tgt, text_revision) = {
            let project = shared.project.lock().unwrap_or_else(|e| e.into_inner());
            let Some(bead) = project.beads.get(query.bead) else {
                return refuse(StatusCode::NOT_FOUND, format!("no bead {}", query.bead));
            };
            (bead.bead.clone(), project.src.document(), project.tgt.document(), project.text_revision)
        };
        let explainer = {
            let mut cached = shared.explainer.lock().unwrap_or_else(|e| e.into_inner());
            match &*cached {
                Some((revision, explainer)) if *revision == text_revision => Arc::clone(explainer),
                _ => {
                    let explainer = Arc::new(shared.aligner.explainer(&src, &tgt));
                    *cached = Some((text_revision, Arc::clone(&explainer)));
                    explainer
                }
            }
        };
        let shares: Vec<_> =
            explainer.explain(&bead).into_iter().map(|(signal, share)| serde_json::json!([signal, share])).collect();
        let utf16 = |document: &duiqi::Document, place: &Place| {
            let text = &document.sentences[place.sentence].text;
            let at = |byte: usize| text[..byte].encode_utf16().count();
            serde_json::json!({ "sentence": place.sentence, "start": at(place.bytes.start), "end": at(place.bytes.end) })
        };
        let links: Vec<_> = explainer
            .links(&bead)
            .iter()
            .map(|link| {
                serde_json::json!({
                    "kind": link.kind.name(),
                    "src": utf16(&src, &link.src),
                    "tgt": utf16(&tgt, &link.tgt),
                })
            })
            .collect();
        Json(serde_json::json!({ "bead": query.bead, "score": explainer.score(&bead), "shares": shares, "links": links }))
            .into_response()
    })
    .await;
    answer.unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "the explanation failed"))
}

/// The names and terms the current alignment pairs (Chinese, English, count, sentences).
async fn glossary(State(shared): State<Arc<Shared>>) -> Response {
    let answer = tokio::task::spawn_blocking(move || {
        let (alignment, src, tgt) = {
            let project = shared.project.lock().unwrap_or_else(|e| e.into_inner());
            (project.alignment(), project.src.document(), project.tgt.document())
        };
        let terms = shared.aligner.glossary(&src, &tgt, &alignment, duiqi::glossary::GlossaryOptions::default());
        Json(terms).into_response()
    })
    .await;
    answer.unwrap_or_else(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "the glossary failed"))
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    #[serde(default)]
    confirmed_only: bool,
    min_score: Option<f32>,
}

async fn export(State(shared): State<Arc<Shared>>, Query(query): Query<ExportQuery>) -> Response {
    let name = query.format.as_deref().unwrap_or("tmx");
    let Some(format) = Format::from_name(name) else {
        return refuse(StatusCode::BAD_REQUEST, format!("unknown format '{name}'; use {}", Format::names()));
    };
    let mut out = Vec::new();
    let project = shared.project.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(e) = project.export(&mut out, format, query.confirmed_only, query.min_score) {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    }
    let file = format!("attachment; filename=\"alignment.{}\"", name.to_ascii_lowercase());
    let content_type = match format {
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Html => "text/html; charset=utf-8",
        Format::Tmx | Format::Xliff => "application/xml; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
    ([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, file.as_str())], out).into_response()
}
