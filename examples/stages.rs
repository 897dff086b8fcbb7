use duiqi::normalize::Normalizer;
use duiqi::{read_path, ReadOptions, Aligner, AlignOptions};
use std::time::Instant;
fn hwm() -> String { std::fs::read_to_string("/proc/self/status").unwrap().lines().filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS")).collect::<Vec<_>>().join(" ") }
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t = Instant::now();
    let al = Aligner::new(AlignOptions::default()).unwrap();
    eprintln!("load {:?} {}", t.elapsed(), hwm());
    let o = ReadOptions { presplit: true, ..Default::default() };
    let (s, tg) = (read_path(&a[1], &o).unwrap(), read_path(&a[2], &o).unwrap());
    eprintln!("read {:?} {}", t.elapsed(), hwm());
    let n = Normalizer::new();
    let (sn, tn) = (n.normalize(&s), n.normalize(&tg));
    eprintln!("normalize {:?} {}", t.elapsed(), hwm());
    drop((sn, tn));
    let r = al.align(&s, &tg);
    eprintln!("align {:?} {} {}", t.elapsed(), r.len(), hwm());
}
