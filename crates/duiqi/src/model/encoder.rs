//! The BERT encoder of multilingual-e5-small: embeddings, 12 post-norm transformer
//! layers, mean pooling. Texts of a batch are concatenated into one token matrix so every
//! weight is read once per batch; attention stays within each text.

use super::ModelError;
use super::container::{Container, Dims, Q4Matrix};
use super::kernels::{Matrix, add_layer_norm, exp_negative, gelu_in_place};

struct Layer {
    /// Query, key and value projections as one matrix (outputs `[q | k | v]`), so the
    /// layer's input is read and converted once.
    query_key_value: Matrix,
    attention_out: Matrix,
    attention_norm: (Vec<f32>, Vec<f32>),
    ffn_in: Matrix,
    ffn_out: Matrix,
    output_norm: (Vec<f32>, Vec<f32>),
}

/// The weights, ready for inference.
pub(crate) struct Encoder {
    pub dims: Dims,
    word: Q4Matrix,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

impl Encoder {
    pub fn new(file: &Container) -> Result<Encoder, ModelError> {
        let d = file.dims;
        let (h, ff) = (d.hidden, d.ffn);
        // Dense row-major weights and biases of the named projections, stacked.
        let stacked = |names: &[String], outputs: usize, inputs: usize| -> Result<Matrix, ModelError> {
            let (mut dense, mut bias) = (Vec::new(), Vec::new());
            for name in names {
                let q4 = file.q4(&format!("{name}.w"), outputs, inputs)?;
                let start = dense.len();
                dense.resize(start + outputs * inputs, 0.0);
                for (row, out) in dense[start..].chunks_exact_mut(inputs).enumerate() {
                    q4.dequantize_row(row, out);
                }
                bias.extend(file.vector(&format!("{name}.b"), outputs)?);
            }
            Ok(Matrix::new(outputs * names.len(), inputs, &dense, bias))
        };
        let matrix = |name: String, outputs: usize, inputs: usize| stacked(&[name], outputs, inputs);
        let norm = |name: &str| -> Result<(Vec<f32>, Vec<f32>), ModelError> {
            Ok((file.vector(&format!("{name}.w"), h)?, file.vector(&format!("{name}.b"), h)?))
        };
        let layers = (0..d.layers)
            .map(|l| {
                Ok(Layer {
                    query_key_value: stacked(&[format!("l{l}.q"), format!("l{l}.k"), format!("l{l}.v")], h, h)?,
                    attention_out: matrix(format!("l{l}.ao"), h, h)?,
                    attention_norm: norm(&format!("l{l}.aln"))?,
                    ffn_in: matrix(format!("l{l}.fi"), ff, h)?,
                    ffn_out: matrix(format!("l{l}.fo"), h, ff)?,
                    output_norm: norm(&format!("l{l}.oln"))?,
                })
            })
            .collect::<Result<Vec<_>, ModelError>>()?;
        Ok(Encoder {
            dims: d,
            word: file.q4("emb.word", d.vocabulary, h)?,
            position: file.vector("emb.pos", d.max_positions * h)?,
            token_type: file.vector("emb.type", h)?,
            embedding_norm: norm("emb.ln")?,
            layers,
        })
    }

    /// Mean-pooled (not normalised) last hidden states of each text; every text is a full
    /// id sequence (`<s>` … `</s>`) no longer than the model's positions.
    pub fn forward(&self, texts: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let h = self.dims.hidden;
        let (x, bounds) = self.hidden_states(texts, self.layers.len());
        bounds
            .windows(2)
            .map(|w| {
                let mut mean = vec![0f32; h];
                for t in w[0]..w[1] {
                    mean.iter_mut().zip(&x[t * h..(t + 1) * h]).for_each(|(m, v)| *m += v);
                }
                let n = (w[1] - w[0]) as f32;
                mean.iter_mut().for_each(|m| *m /= n);
                mean
            })
            .collect()
    }

    /// The hidden states of every token after the first `layers` layers (all texts'
    /// tokens one after another, `hidden` values each), and where each text's tokens start.
    pub fn hidden_states(&self, texts: &[Vec<u32>], layers: usize) -> (Vec<f32>, Vec<usize>) {
        let h = self.dims.hidden;
        let mut bounds = vec![0usize];
        for ids in texts {
            bounds.push(bounds.last().unwrap() + ids.len());
        }
        let tokens = *bounds.last().unwrap();
        let mut x = vec![0f32; tokens * h];
        for (ids, start) in texts.iter().zip(&bounds) {
            for (p, &id) in ids.iter().enumerate() {
                let row = &mut x[(start + p) * h..][..h];
                self.word.dequantize_row(id as usize, row);
                for ((v, pos), ty) in row.iter_mut().zip(&self.position[p * h..(p + 1) * h]).zip(&self.token_type) {
                    *v += pos + ty;
                }
            }
        }
        let eps = self.dims.eps;
        add_layer_norm(&mut x, None, &self.embedding_norm.0, &self.embedding_norm.1, eps);

        let mut query_key_value = vec![0f32; tokens * 3 * h];
        let (mut context, mut projected) = (vec![0f32; tokens * h], vec![0f32; tokens * h]);
        let mut middle = vec![0f32; tokens * self.dims.ffn];
        for layer in &self.layers[..layers.min(self.layers.len())] {
            layer.query_key_value.apply(&x, &mut query_key_value);
            for w in bounds.windows(2) {
                attention(&self.dims, &query_key_value, w[0]..w[1], &mut context);
            }
            layer.attention_out.apply(&context, &mut projected);
            add_layer_norm(&mut x, Some(&projected), &layer.attention_norm.0, &layer.attention_norm.1, eps);
            layer.ffn_in.apply(&x, &mut middle);
            gelu_in_place(&mut middle);
            layer.ffn_out.apply(&middle, &mut projected);
            add_layer_norm(&mut x, Some(&projected), &layer.output_norm.0, &layer.output_norm.1, eps);
        }
        (x, bounds)
    }
}

/// Scaled dot-product attention of the tokens `span` among themselves, all heads;
/// `qkv` holds each token's `[query | key | value]`. Compiled for AVX-512 or AVX2 when the
/// CPU has them (the scores and weighted sums are most of what is not a matrix product).
fn attention(dims: &Dims, qkv: &[f32], span: std::ops::Range<usize>, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { attention_avx512(dims, qkv, span, out) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has AVX2 and FMA.
            return unsafe { attention_avx2(dims, qkv, span, out) };
        }
    }
    attention_body(dims, qkv, span, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn attention_avx2(dims: &Dims, qkv: &[f32], span: std::ops::Range<usize>, out: &mut [f32]) {
    attention_body(dims, qkv, span, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn attention_avx512(dims: &Dims, qkv: &[f32], span: std::ops::Range<usize>, out: &mut [f32]) {
    attention_body(dims, qkv, span, out)
}

#[inline(always)]
fn attention_body(dims: &Dims, qkv: &[f32], span: std::ops::Range<usize>, out: &mut [f32]) {
    let (h, heads) = (dims.hidden, dims.heads);
    let d = h / heads;
    let scale = 1.0 / (d as f32).sqrt();
    let head_of = |token: usize, part: usize, head: usize| &qkv[token * 3 * h + part * h + head * d..][..d];
    let mut weights = vec![0f32; span.len()];
    for t in span.clone() {
        for head in 0..heads {
            let query = head_of(t, 0, head);
            let mut max = f32::NEG_INFINITY;
            for (w, s) in weights.iter_mut().zip(span.clone()) {
                *w = dot(query, head_of(s, 1, head)) * scale;
                max = max.max(*w);
            }
            let mut sum = 0.0;
            for w in weights.iter_mut() {
                *w = exp_negative(*w - max);
                sum += *w;
            }
            let oh = &mut out[t * h + head * d..][..d];
            oh.fill(0.0);
            for (w, s) in weights.iter().zip(span.clone()) {
                let p = w / sum;
                oh.iter_mut().zip(head_of(s, 2, head)).for_each(|(o, value)| *o += p * value);
            }
        }
    }
}

/// Dot product with eight independent partial sums, so it vectorises (a single running sum
/// would serialise every addition).
#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for l in 0..8 {
            lanes[l] += x[l] * y[l];
        }
    }
    lanes.iter().sum::<f32>() + tail
}
