//! The arithmetic of the encoder: matrix products (in bfloat16 dot products, tiled for
//! registers, on CPUs with AVX512-BF16; else in f32 by the `gemm` crate, which blocks for
//! the caches and picks AVX-512, AVX2 or portable code at run time), layer norm and GELU.

/// Outputs per tile of the bfloat16 kernel: two AVX-512 registers of f32.
const TILE_N: usize = 32;

/// A weight matrix stored transposed (inputs × outputs), for either product.
pub(crate) struct Matrix {
    inputs: usize,
    outputs: usize,
    /// Outputs padded to a multiple of [`TILE_N`] (the bfloat16 layout).
    padded: usize,
    /// `inputs × outputs` weights, row k holding every output's weight for input k (empty
    /// when `pairs` is used).
    weights: Vec<f32>,
    /// On CPUs with bfloat16 dot products: `inputs / 2 × padded` pairs of bfloat16 weights
    /// (inputs 2p and 2p + 1 of one output in one u32), twice the work per instruction.
    pairs: Vec<u32>,
    bias: Vec<f32>,
}

/// True when the bfloat16 kernel can run here.
fn has_bf16() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// f32 → bfloat16 bits, rounding to nearest even.
fn bf16(x: f32) -> u32 {
    let bits = x.to_bits();
    (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
}

/// Consecutive pairs of `x` packed as bfloat16 (low half: the even element).
fn pack_pairs(x: &[f32]) -> Vec<u32> {
    x.chunks_exact(2).map(|p| bf16(p[0]) | (bf16(p[1]) << 16)).collect()
}

impl Matrix {
    /// Builds from row-major `outputs × inputs` weights, for the fastest kernel this CPU has.
    pub fn new(outputs: usize, inputs: usize, row_major: &[f32], bias: Vec<f32>) -> Matrix {
        Matrix::build(outputs, inputs, row_major, bias, has_bf16())
    }

    fn build(outputs: usize, inputs: usize, row_major: &[f32], bias: Vec<f32>, bfloat16: bool) -> Matrix {
        let padded = outputs.div_ceil(TILE_N) * TILE_N;
        let mut weights = vec![0f32; inputs * outputs];
        for o in 0..outputs {
            for k in 0..inputs {
                weights[k * outputs + o] = row_major[o * inputs + k];
            }
        }
        let mut pairs = Vec::new();
        if bfloat16 && inputs.is_multiple_of(2) {
            pairs = vec![0u32; inputs / 2 * padded];
            for p in 0..inputs / 2 {
                for o in 0..outputs {
                    pairs[p * padded + o] =
                        bf16(weights[2 * p * outputs + o]) | (bf16(weights[(2 * p + 1) * outputs + o]) << 16);
                }
            }
            weights = Vec::new();
        }
        Matrix { inputs, outputs, padded, weights, pairs, bias }
    }

    /// `out[t] = x[t] · W + bias` for every token row of `x` (`tokens × inputs`).
    pub fn apply(&self, x: &[f32], out: &mut [f32]) {
        let tokens = x.len() / self.inputs;
        assert!(out.len() == tokens * self.outputs && x.len() == tokens * self.inputs);
        #[cfg(target_arch = "x86_64")]
        if !self.pairs.is_empty() {
            // SAFETY: pairs are only built when the CPU has AVX512-BF16.
            return unsafe { self.apply_bf16(&pack_pairs(x), out, tokens) };
        }
        self.apply_f32(x, out, tokens)
    }

    /// The product in f32 by `gemm` (one thread: batches already run in parallel).
    fn apply_f32(&self, x: &[f32], out: &mut [f32], tokens: usize) {
        for row in out.chunks_exact_mut(self.outputs) {
            row.copy_from_slice(&self.bias);
        }
        let (m, n, k) = (tokens, self.outputs, self.inputs);
        // SAFETY: out is m × n, x is m × k and weights k × n, all row-major and of exactly
        // those sizes (checked in `apply` and `build`).
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                out.as_mut_ptr(),
                1,
                n as isize,
                true,
                x.as_ptr(),
                1,
                k as isize,
                self.weights.as_ptr(),
                1,
                n as isize,
                1.0,
                1.0,
                false,
                false,
                false,
                gemm::Parallelism::None,
            );
        }
    }

    /// Adds the bias and writes one tile row of sums, cut to the real outputs.
    fn store(&self, sums: &[f32; TILE_N], n0: usize, out_row: &mut [f32]) {
        let width = TILE_N.min(self.outputs - n0);
        for j in 0..width {
            out_row[n0 + j] = sums[j] + self.bias[n0 + j];
        }
    }

    /// Walks the output in tiles of `T` tokens × [`TILE_N`] outputs. `tile(n0, rows)` gets
    /// pointers to the tile's `T` input rows (`row_len` elements each; rows past the last
    /// token repeat it) and returns their sums, which are stored with the bias.
    #[inline(always)]
    fn tiles<X, const T: usize>(
        &self,
        x: &[X],
        row_len: usize,
        out: &mut [f32],
        tokens: usize,
        mut tile: impl FnMut(usize, [*const X; T]) -> [[f32; TILE_N]; T],
    ) {
        for n0 in (0..self.padded).step_by(TILE_N) {
            for t0 in (0..tokens).step_by(T) {
                let rows = T.min(tokens - t0);
                let sums = tile(n0, std::array::from_fn(|r| x[(t0 + r.min(rows - 1)) * row_len..].as_ptr()));
                for (r, sums) in sums.iter().take(rows).enumerate() {
                    self.store(sums, n0, &mut out[(t0 + r) * self.outputs..][..self.outputs]);
                }
            }
        }
    }

    /// 8 tokens × 32 outputs of f32 sums in sixteen AVX-512 registers, two inputs per
    /// instruction in bfloat16.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bf16")]
    unsafe fn apply_bf16(&self, x: &[u32], out: &mut [f32], tokens: usize) {
        use std::arch::x86_64::*;
        let pairs = self.inputs / 2;
        self.tiles::<u32, 8>(x, pairs, out, tokens, |n0, xs| {
            let mut acc = [_mm512_setzero_ps(); 16];
            let mut w = self.pairs[n0..].as_ptr();
            for p in 0..pairs {
                // SAFETY: w points at pair row p of the padded weights, 32 outputs from n0;
                // xs[r] at a token row of `inputs / 2` pairs.
                unsafe {
                    let w0: __m512bh = std::mem::transmute(_mm512_loadu_si512(w.cast()));
                    let w1: __m512bh = std::mem::transmute(_mm512_loadu_si512(w.add(16).cast()));
                    for (r, row) in xs.iter().enumerate() {
                        let v: __m512bh = std::mem::transmute(_mm512_set1_epi32(*row.add(p) as i32));
                        acc[2 * r] = _mm512_dpbf16_ps(acc[2 * r], v, w0);
                        acc[2 * r + 1] = _mm512_dpbf16_ps(acc[2 * r + 1], v, w1);
                    }
                    w = w.add(self.padded);
                }
            }
            // SAFETY: each register holds 16 of a row's 32 sums.
            std::array::from_fn(|r| unsafe {
                std::mem::transmute::<[__m512; 2], [f32; TILE_N]>([acc[2 * r], acc[2 * r + 1]])
            })
        })
    }
}

/// `x = LayerNorm(x + residual)` row by row.
pub(crate) fn add_layer_norm(x: &mut [f32], residual: Option<&[f32]>, weight: &[f32], bias: &[f32], eps: f32) {
    let h = weight.len();
    for (t, row) in x.chunks_exact_mut(h).enumerate() {
        if let Some(residual) = residual {
            for (v, r) in row.iter_mut().zip(&residual[t * h..(t + 1) * h]) {
                *v += r;
            }
        }
        let mean = row.iter().sum::<f32>() / h as f32;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// The exact (erf) GELU of BERT, in place over a whole activation matrix: written without
/// library calls so the compiler can vectorise it (it would otherwise cost a third of the
/// matrix products).
pub(crate) fn gelu_in_place(values: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { gelu_avx512(values) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has AVX2 and FMA.
            return unsafe { gelu_avx2(values) };
        }
    }
    values.iter_mut().for_each(|v| *v = gelu(*v));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn gelu_avx512(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = gelu(*v));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gelu_avx2(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = gelu(*v));
}

#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Error function, |error| < 1.5e-7 (Abramowitz & Stegun 7.1.26).
#[inline(always)]
fn erf(x: f32) -> f32 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t * (0.254_829_6 + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let value = 1.0 - poly * exp_negative(-z * z);
    value.copysign(x)
}

/// e^x for x ≤ 0 (relative error < 2e-7; 0 below -87): 2^n × a polynomial on the rest.
#[inline(always)]
pub(crate) fn exp_negative(x: f32) -> f32 {
    let x = x.max(-87.0);
    let n = (x * std::f32::consts::LOG2_E).round();
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = 1.0
        + r * (1.0 + r * (0.5 + r * (0.166_666_67 + r * (0.041_666_668 + r * (0.008_333_334 + r * 0.001_388_889)))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiled_product_matches_the_naive_one() {
        let (outputs, inputs, tokens) = (37, 64, 11);
        let w: Vec<f32> = (0..outputs * inputs).map(|i| ((i * 7919) % 13) as f32 - 6.0).collect();
        let x: Vec<f32> = (0..tokens * inputs).map(|i| ((i * 104_729) % 11) as f32 * 0.1).collect();
        let bias: Vec<f32> = (0..outputs).map(|o| o as f32).collect();
        let m = Matrix::build(outputs, inputs, &w, bias.clone(), false);
        let mut out = vec![0f32; tokens * outputs];
        m.apply(&x, &mut out);
        for t in 0..tokens {
            for o in 0..outputs {
                let expected: f32 = (0..inputs).map(|k| x[t * inputs + k] * w[o * inputs + k]).sum::<f32>() + bias[o];
                assert!((out[t * outputs + o] - expected).abs() < 1e-3, "t{t} o{o}");
            }
        }
        if has_bf16() {
            let m = Matrix::new(outputs, inputs, &w, bias.clone());
            let mut out = vec![0f32; tokens * outputs];
            m.apply(&x, &mut out);
            for (t, o) in (0..tokens).flat_map(|t| (0..outputs).map(move |o| (t, o))) {
                let terms = (0..inputs).map(|k| x[t * inputs + k] * w[o * inputs + k]);
                let (expected, scale) = terms.fold((bias[o], 0.0f32), |(s, a), v| (s + v, a + v.abs()));
                assert!((out[t * outputs + o] - expected).abs() <= 0.01 * scale + 1e-3, "bf16 t{t} o{o}");
            }
        }
    }

    #[test]
    fn erf_and_gelu_reference_values() {
        assert!((erf(0.5) - 0.520_499_9).abs() < 1e-6);
        assert!((erf(-1.5) + 0.966_105_1).abs() < 1e-6);
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
        assert_eq!(gelu(0.0), 0.0);
        for x in [-80.0f32, -10.0, -1.0, -0.3, 0.0] {
            assert!((exp_negative(x) - x.exp()).abs() <= 2e-7 * x.exp(), "{x}");
        }
        let mut values = vec![-3.0, -0.5, 0.0, 0.5, 3.0];
        gelu_in_place(&mut values);
        assert!((values[4] - 2.995_950_2).abs() < 1e-5 && (values[0] + 0.004_049_8).abs() < 1e-5);
    }
}
