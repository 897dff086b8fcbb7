//! NumPy's `.npz` (a zip of `.npy` arrays), as much as the mUSE weights need: little-endian
//! f32, f64 and u8/i8 arrays in C order.

use std::collections::HashMap;
use std::io::Read;

/// An array's shape and values (as f32, or raw bytes for u8/i8).
pub struct Array {
    pub shape: Vec<usize>,
    pub values: Values,
}

pub enum Values {
    F32(Vec<f32>),
    Bytes(Vec<u8>),
}

/// Every array of an `.npz`, by name (without `.npy`); an error says what is wrong.
pub fn read(bytes: &[u8]) -> Result<HashMap<String, Array>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not an npz: {e}"))?;
    let mut arrays = HashMap::new();
    for k in 0..archive.len() {
        let mut entry = archive.by_index(k).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.trim_end_matches(".npy").to_string();
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut data).map_err(|e| format!("{name}: {e}"))?;
        arrays.insert(name.clone(), parse(&data).map_err(|why| format!("{name}: {why}"))?);
    }
    Ok(arrays)
}

/// One `.npy` file.
fn parse(data: &[u8]) -> Result<Array, String> {
    if data.len() < 10 || &data[..6] != b"\x93NUMPY" {
        return Err("not an npy array".into());
    }
    let (header_len, start) = match data[6] {
        1 => (u16::from_le_bytes([data[8], data[9]]) as usize, 10),
        _ => (u32::from_le_bytes(data.get(8..12).ok_or("short header")?.try_into().unwrap()) as usize, 12),
    };
    let header =
        std::str::from_utf8(data.get(start..start + header_len).ok_or("short header")?).map_err(|e| e.to_string())?;
    let field = |key: &str| -> Option<&str> {
        let at = header.find(&format!("'{key}'"))? + key.len() + 2;
        Some(header[at..].trim_start_matches([':', ' ']))
    };
    if field("fortran_order").is_some_and(|v| v.starts_with("True")) {
        return Err("Fortran order is not supported".into());
    }
    let descr =
        field("descr").and_then(|v| v.strip_prefix('\'')).and_then(|v| v.split('\'').next()).ok_or("no descr")?;
    let shape_text =
        field("shape").and_then(|v| v.strip_prefix('(')).and_then(|v| v.split(')').next()).ok_or("no shape")?;
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("bad shape {shape_text}")))
        .collect::<Result<_, _>>()?;
    let count: usize = shape.iter().product();
    let body = &data[start + header_len..];
    let values = match descr {
        "<f4" => {
            Values::F32(body.chunks_exact(4).take(count).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect())
        }
        "<f8" => Values::F32(
            body.chunks_exact(8).take(count).map(|c| f64::from_le_bytes(c.try_into().unwrap()) as f32).collect(),
        ),
        "|u1" | "|i1" => Values::Bytes(body.iter().take(count).copied().collect()),
        other => return Err(format!("dtype {other} is not supported")),
    };
    let len = match &values {
        Values::F32(v) => v.len(),
        Values::Bytes(v) => v.len(),
    };
    if len != count {
        return Err(format!("{len} values for shape {shape:?}"));
    }
    Ok(Array { shape, values })
}
