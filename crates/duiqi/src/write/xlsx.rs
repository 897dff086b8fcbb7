//! An Excel workbook as LF Aligner writes one: a row per bead with the source, the target,
//! the score and a "confirmed" column for the reviewer (rust_xlsxwriter writes the file).

use super::joined;
use crate::document::{Bead, Document};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::io::{self, Write};

pub(super) fn write(out: &mut dyn Write, alignment: &[Bead], src: &Document, tgt: &Document) -> io::Result<()> {
    let bytes = workbook(alignment, src, tgt).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

fn workbook(alignment: &[Bead], src: &Document, tgt: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("alignment")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (column, title) in [src.language_tag(), tgt.language_tag(), "score", "confirmed"].into_iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, title, &bold)?;
    }
    sheet.set_column_width(0, 60)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_freeze_panes(1, 0)?;
    for (k, bead) in alignment.iter().enumerate() {
        let row = k as u32 + 1;
        sheet.write_string_with_format(row, 0, excel_text(&joined(src, bead.src.clone())), &wrap)?;
        sheet.write_string_with_format(row, 1, excel_text(&joined(tgt, bead.tgt.clone())), &wrap)?;
        sheet.write_number(row, 2, (f64::from(bead.score) * 1e4).round() / 1e4)?;
    }
    workbook.save_to_buffer()
}

/// Excel holds at most 32,767 characters in a cell and no control characters.
fn excel_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\t').take(32_767).collect()
}
